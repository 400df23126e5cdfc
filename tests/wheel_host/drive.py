"""Drive one comment through the installed wheel: form, queue, approval, page."""

import re
import sys
import time

from host import Editor, app, db

import forum_plugin

assert "site-packages" in forum_plugin.__file__, forum_plugin.__file__


def token(html, name="csrf_token"):
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]+)"', html).group(1)


with app.app_context():
    Editor.__table__.drop(db.engine, checkfirst=True)
    db.create_all()
    db.session.add(Editor(name="Editor"))
    db.session.commit()
    editor_id = db.session.scalar(db.select(Editor.id))

reader, moderator = app.test_client(), app.test_client()
page = reader.get("/notes/harbour-visit").text
time.sleep(2.1)  # a person takes a moment to write; a form sent sooner is taken for a robot's
response = reader.post(
    "/forum/threads/harbour-visit/comments",
    data={
        "csrf_token": token(page),
        "forum_ticket": token(page, "forum_ticket"),
        "author_name": "ผู้อ่าน",
        "body": "Thank you — ขอบคุณ",
    },
)
assert response.status_code == 303, response.text
comment_id = response.headers["Location"].rsplit("#comment-", 1)[1]
assert "awaiting moderation" in reader.get("/notes/harbour-visit").text

with moderator.session_transaction() as session:
    session["_user_id"] = str(editor_id)
queue = moderator.get("/forum/moderation/").text
assert "ขอบคุณ" in queue
approved = moderator.post(f"/forum/moderation/comments/{comment_id}/approve", data={"csrf_token": token(queue)})
assert approved.status_code == 303

public = app.test_client().get("/notes/harbour-visit").text
assert f'id="comment-{comment_id}"' in public and "Thank you — ขอบคุณ" in public and "1 comment<" in public
css = app.test_client().get("/forum/static/forum.css")
assert css.status_code == 200 and b"--forum-accent" in css.data

with app.app_context():
    db.session.remove()
    Editor.__table__.drop(db.engine)
print("driven: comment", comment_id, "from", forum_plugin.__file__)
sys.exit(0)
