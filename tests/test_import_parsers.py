"""The WordPress and Disqus export parsers, on invented sample files and small inline documents."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest

from forum_plugin.importers import disqus, wordpress
from forum_plugin.importers.parsing import XmlStream, utc_datetime
from forum_plugin.importers.records import ImportFileError

DATA = Path(__file__).parent / "data"
SITE = "wordpress:https://slowroads.example.org"


def parse_file(module, name: str):
    with open(DATA / name, "rb") as source:
        return module.parse(source)


@pytest.fixture(scope="module")
def wxr_export():
    return parse_file(wordpress, "wordpress.xml")


@pytest.fixture(scope="module")
def disqus_export():
    return parse_file(disqus, "disqus.xml")


def by_origin(export):
    return {comment.origin: comment for comment in export.comments}


def wxr_document(items: str, *, channel: str = "", version: str = "1.2") -> io.BytesIO:
    return io.BytesIO(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:wp="http://wordpress.org/export/{version}/">\n'
        f"<channel>\n{channel}\n{items}\n</channel>\n</rss>\n".encode()
    )


def wxr_item(comments: str, *, post_id: str = "1", post_type: str = "post") -> str:
    return (
        f"<item><title>A post</title><link>https://example.org/a-post/</link>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_type>{post_type}</wp:post_type>{comments}</item>"
    )


GMT_DATE = "<wp:comment_date_gmt>2020-01-02 03:04:05</wp:comment_date_gmt>"


def wxr_comment(comment_id: str = "5", dates: str = GMT_DATE) -> str:
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>{dates}"
        "<wp:comment_content>hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
        "<wp:comment_parent>0</wp:comment_parent></wp:comment>"
    )


def disqus_document(body: str) -> io.BytesIO:
    return io.BytesIO(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
        f"{body}\n</disqus>\n".encode()
    )


DISQUS_THREAD = '<thread dsq:id="1"><id /><link>https://example.org/a/</link><title>A</title></thread>'


def disqus_post(
    post_id: str = "2", *, created: str = "<createdAt>2020-01-01T00:00:00Z</createdAt>", thread: str = "1"
) -> str:
    return (
        f'<post dsq:id="{post_id}"><id /><message>hi</message>{created}'
        f"<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>A</name></author>"
        f'<thread dsq:id="{thread}" /></post>'
    )


# WordPress


def test_wordpress_posts_and_pages_are_threads_attachments_are_not(wxr_export):
    assert set(wxr_export.threads) == {"11", "12"}
    market = wxr_export.threads["11"]
    assert market.title == "Morning at the Floating Market ตลาดน้ำ"
    assert market.url == "https://slowroads.example.org/2023/04/floating-market/"
    assert market.slug == "floating-market"
    assert market.identifier is None


def test_wordpress_slug_falls_back_to_the_link_decoded(wxr_export):
    cafe = wxr_export.threads["12"]
    assert cafe.url.endswith("/%e0%b8%a3%e0%b9%89%e0%b8%b2%e0%b8%99%e0%b8%81%e0%b8%b2%e0%b9%81%e0%b8%9f/")
    assert cafe.slug == "ร้านกาแฟ"


def test_wordpress_comments_in_file_order_with_parents_and_statuses(wxr_export):
    found = [
        (comment.origin, comment.thread_source_id, comment.parent_origin, comment.status)
        for comment in wxr_export.comments
    ]
    assert found == [
        (f"{SITE}:101", "11", None, "approved"),
        (f"{SITE}:102", "11", f"{SITE}:101", "approved"),
        (f"{SITE}:103", "11", f"{SITE}:102", "approved"),
        (f"{SITE}:104", "11", None, "pending"),
        (f"{SITE}:105", "11", None, "spam"),
        (f"{SITE}:106", "11", None, "deleted"),
        (f"{SITE}:201", "12", None, "approved"),
        (f"{SITE}:202", "12", None, "approved"),
    ]


def test_wordpress_pingbacks_and_attachment_comments_are_skipped(wxr_export):
    assert wxr_export.skipped == 2
    assert f"{SITE}:107" not in by_origin(wxr_export)
    assert f"{SITE}:108" not in by_origin(wxr_export)


def test_wordpress_dates_prefer_gmt_and_fall_back_to_local(wxr_export):
    comments = by_origin(wxr_export)
    assert comments[f"{SITE}:101"].created_at == datetime(2023, 4, 10, 7, 5, 9)  # local was 14:05:09
    assert comments[f"{SITE}:104"].created_at == datetime(2023, 4, 12, 18, 45, 30)  # gmt 0000-00-00
    assert comments[f"{SITE}:202"].created_at == datetime(2023, 5, 5, 21, 0)  # no gmt element


def test_wordpress_authors(wxr_export):
    comments = by_origin(wxr_export)
    owl = comments[f"{SITE}:101"]
    assert owl.author_name == "นกฮูกน้อย"
    assert (owl.author_email, owl.ip) == ("owl@reader.example.net", "192.0.2.10")
    nameless = comments[f"{SITE}:201"]
    assert (nameless.author_name, nameless.author_email, nameless.ip) == ("Anonymous", None, None)
    assert comments[f"{SITE}:106"].author_email is None


def test_wordpress_non_ascii_round_trips_byte_for_byte(wxr_export):
    raw = (DATA / "wordpress.xml").read_bytes()
    comments = by_origin(wxr_export)
    expected = {
        101: "<p>ไปมาแล้วครับ มะม่วงอร่อยมาก!</p>\n<p>Second paragraph, kept as written.</p>",
        102: "ကျေးဇူးတင်ပါတယ်။ ဘယ်အချိန်သွားရမလဲ?",
        103: "<p>អរគុណច្រើន! ទៅម៉ោង ៦ ព្រឹក។</p>",
        104: "请问市场几点开门？",
    }
    for comment_id, html in expected.items():
        comment = comments[f"{SITE}:{comment_id}"]
        assert comment.html == html
        assert b"<![CDATA[" + comment.html.encode() + b"]]>" in raw
        assert b"<![CDATA[" + comment.author_name.encode() + b"]]>" in raw


def test_wordpress_site_url_falls_back_to_blog_url_then_nothing():
    item = wxr_item(wxr_comment("5"))
    blog = wxr_document(item, channel="<wp:base_blog_url>https://blog.example.org/news/</wp:base_blog_url>")
    assert wordpress.parse(blog).comments[0].origin == "wordpress:https://blog.example.org/news:5"
    assert wordpress.parse(wxr_document(item)).comments[0].origin == "wordpress::5"


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_wordpress_every_wxr_version_is_read(version):
    export = wordpress.parse(wxr_document(wxr_item(wxr_comment("5"), post_type="page"), version=version))
    assert list(export.threads) == ["1"]
    assert export.threads["1"].slug == "a-post"
    assert export.comments[0].created_at == datetime(2020, 1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ("", "WordPress comment 5 on post 1: no date"),
        (
            "<wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>",
            "WordPress comment 5 on post 1: no date",
        ),
        (
            "<wp:comment_date>yesterday</wp:comment_date>",
            "WordPress comment 5 on post 1: unreadable date 'yesterday'",
        ),
    ],
)
def test_wordpress_comment_without_a_usable_date_is_an_error(dates, message):
    with pytest.raises(ImportFileError, match=f"^{re.escape(message)}$"):
        wordpress.parse(wxr_document(wxr_item(wxr_comment("5", dates))))


def test_wordpress_comment_without_id_is_an_error():
    with pytest.raises(ImportFileError, match="^WordPress post 1: a comment has no wp:comment_id$"):
        wordpress.parse(wxr_document(wxr_item(wxr_comment(""))))


# Disqus


def test_disqus_threads(disqus_export):
    mekong, khao_soi = disqus_export.threads["7001"], disqus_export.threads["7002"]
    assert set(disqus_export.threads) == {"7001", "7002"}
    assert (mekong.identifier, mekong.slug) == ("mekong-by-boat", "mekong-by-boat")
    assert mekong.url == "https://rivernotes.example.net/travel/mekong-by-boat/"
    assert mekong.title == "Down the Mekong by Slow Boat ល្បឿនយឺត"
    # Listed after its posts, with an empty <id>:
    assert (khao_soi.identifier, khao_soi.slug) == (None, "khao-soi")
    assert khao_soi.title == "Khao Soi at Home ข้าวซอย"


def test_disqus_posts_with_parents_and_statuses(disqus_export):
    found = [
        (comment.origin, comment.thread_source_id, comment.parent_origin, comment.status)
        for comment in disqus_export.comments
    ]
    assert found == [
        ("disqus:9001", "7001", None, "approved"),
        ("disqus:9002", "7001", "disqus:9001", "approved"),
        ("disqus:9003", "7001", "disqus:9002", "approved"),
        ("disqus:9004", "7001", None, "spam"),  # also marked deleted: spam wins
        ("disqus:9005", "7001", None, "deleted"),
        ("disqus:9006", "7002", None, "approved"),
        ("disqus:9007", "7002", "disqus:9006", "approved"),
    ]
    assert disqus_export.skipped == 0


def test_disqus_authors_and_dates(disqus_export):
    comments = by_origin(disqus_export)
    heron = comments["disqus:9001"]
    assert heron.author_name == "นกกระสา"
    assert (heron.author_email, heron.ip) == ("heron@reader.example.net", "192.0.2.21")
    assert heron.created_at == datetime(2021, 2, 2, 10, 15)
    assert comments["disqus:9002"].author_email is None  # no <email> element
    assert comments["disqus:9003"].author_email is None  # empty <email>
    assert comments["disqus:9003"].created_at == datetime(2021, 2, 3, 1, 5, 0, 250000)
    deleted = comments["disqus:9005"]
    assert (deleted.author_name, deleted.ip, deleted.html) == ("Anonymous", None, "")


def test_disqus_non_ascii_round_trips_byte_for_byte(disqus_export):
    raw = (DATA / "disqus.xml").read_bytes()
    comments = by_origin(disqus_export)
    expected = {
        "9001": "<p>ล่องเรือสองวันคุ้มมากครับ</p>",
        "9002": "<p>ត្រូវហើយ! ទេសភាពស្អាតណាស់។</p>",
        "9003": "<p>မြစ်ကမ်းနားက ညစျေးလည်း ကောင်းတယ်။</p>",
        "9006": "<p>这碗咖喱面太好吃了！</p>",
    }
    for post_id, html in expected.items():
        comment = comments[f"disqus:{post_id}"]
        assert comment.html == html
        assert b"<![CDATA[" + comment.html.encode() + b"]]>" in raw
        assert b"<name>" + comment.author_name.encode() + b"</name>" in raw


def test_disqus_post_whose_thread_is_missing_is_skipped_and_counted():
    parsed = disqus.parse(disqus_document(DISQUS_THREAD + disqus_post("2") + disqus_post("3", thread="404")))
    assert [comment.origin for comment in parsed.comments] == ["disqus:2"]
    assert parsed.skipped == 1


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (disqus_post("2", created=""), "Disqus post 2: no date"),
        (
            disqus_post("2", created="<createdAt>someday</createdAt>"),
            "Disqus post 2: unreadable date 'someday'",
        ),
        (disqus_post("").replace(' dsq:id=""', "", 1), "Disqus post number 1 in the file has no dsq:id"),
    ],
)
def test_disqus_post_without_id_or_date_is_an_error(post, message):
    with pytest.raises(ImportFileError, match=f"^{re.escape(message)}$"):
        disqus.parse(disqus_document(DISQUS_THREAD + post))


def test_utc_datetime_converts_offsets_and_keeps_naive_times():
    assert utc_datetime("2021-02-02T17:15:00+07:00", "x") == datetime(2021, 2, 2, 10, 15)
    assert utc_datetime("2021-02-02T10:15:00", "x") == datetime(2021, 2, 2, 10, 15)
    assert utc_datetime("2021-02-02 10:15:00", "x") == datetime(2021, 2, 2, 10, 15)


# Broken and foreign files


def test_malformed_xml_names_line_and_column():
    lines = (DATA / "broken.xml").read_text(encoding="utf-8").splitlines()
    assert "</wp:comment_autor>" in lines[19 - 1]
    with pytest.raises(ImportFileError, match=r"^line 19, column 44: mismatched tag$"):
        parse_file(wordpress, "broken.xml")


@pytest.mark.parametrize("module", [wordpress, disqus])
def test_cut_off_file_names_its_last_line(module):
    raw = (DATA / f"{module.__name__.rsplit('.', 1)[-1]}.xml").read_bytes()
    cut = raw[: len(raw) // 2]
    with pytest.raises(ImportFileError, match=r"^line \d+, column \d+: ") as caught:
        module.parse(io.BytesIO(cut))
    line = int(re.match(r"line (\d+)", str(caught.value)).group(1))
    assert line == cut.count(b"\n") + 1


def test_empty_file_is_an_import_error():
    with pytest.raises(ImportFileError, match=r"^line 1, column 0: no element found$"):
        wordpress.parse(io.BytesIO(b""))


def test_disqus_file_given_to_wordpress_parser():
    expected = "not a WordPress WXR export: the root element is <{http://disqus.com}disqus>, expected <rss>"
    with pytest.raises(ImportFileError, match=f"^{re.escape(expected)}$"):
        parse_file(wordpress, "disqus.xml")


def test_wordpress_file_given_to_disqus_parser():
    expected = "not a Disqus export: the root element is <rss>, expected <{http://disqus.com}disqus>"
    with pytest.raises(ImportFileError, match=f"^{re.escape(expected)}$"):
        parse_file(disqus, "wordpress.xml")


def test_plain_rss_feed_is_not_wxr():
    feed = b'<rss version="2.0"><channel><title>News</title><item><title>A</title></item></channel></rss>'
    with pytest.raises(ImportFileError, match="^not a WordPress WXR export: no http://wordpress.org/export/"):
        wordpress.parse(io.BytesIO(feed))


def test_only_the_excerpt_namespace_is_not_wxr():
    feed = (
        b'<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">'
        b"<channel><title>News</title></channel></rss>"
    )
    with pytest.raises(ImportFileError, match="^not a WordPress WXR export: no http://wordpress.org/export/"):
        wordpress.parse(io.BytesIO(feed))


def test_rss_without_channel_is_not_wxr():
    feed = b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"></rss>'
    with pytest.raises(ImportFileError, match="^not a WordPress WXR export: <rss> has no <channel>$"):
        wordpress.parse(io.BytesIO(feed))


# Streaming


def big_wxr(count: int) -> bytes:
    comments = "".join(wxr_comment(str(number)) for number in range(1, count + 1))
    return wxr_document(wxr_item(comments)).getvalue()


def big_disqus(count: int) -> bytes:
    posts = "".join(disqus_post(str(number)) for number in range(2, count + 2))
    return disqus_document(DISQUS_THREAD + posts).getvalue()


@pytest.mark.parametrize(("module", "make"), [(wordpress, big_wxr), (disqus, big_disqus)])
def test_progress_reports_increasing_byte_counts_up_to_the_size(module, make):
    data = make(600)
    assert len(data) > 100_000  # several of iterparse's reads
    reports: list[int] = []
    export = module.parse(io.BytesIO(data), progress=reports.append)
    assert len(export.comments) == 600
    assert reports == sorted(reports)
    assert len(set(reports)) > 3
    assert reports[0] < len(data)
    assert reports[-1] == len(data)


@pytest.mark.parametrize("module", [wordpress, disqus])
def test_progress_reports_the_size_even_for_a_file_shorter_than_one_interval(module):
    name = f"{module.__name__.rsplit('.', 1)[-1]}.xml"
    reports: list[int] = []
    with open(DATA / name, "rb") as source:
        module.parse(source, progress=reports.append)
    assert reports[-1] == (DATA / name).stat().st_size


def test_records_are_cleared_and_unhooked_once_read():
    source = disqus_document(DISQUS_THREAD + disqus_post("2") + disqus_post("3"))
    stream = XmlStream(source, root_tag="{http://disqus.com}disqus", record_depth=1, format_name="Disqus export")
    seen = list(stream)
    assert [(element.tag.split("}")[1], depth) for element, depth in seen] == [
        ("thread", 1),
        ("post", 1),
        ("post", 1),
        ("disqus", 0),
    ]
    root = seen[-1][0]
    assert len(root) == 0
    assert all(len(element) == 0 and not element.attrib for element, _ in seen[:-1])
