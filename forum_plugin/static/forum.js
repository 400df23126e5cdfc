// forum_plugin: replies open under the comment they answer and post without
// reloading the page. Everything here is an enhancement: with JavaScript off,
// the same links and forms work as plain pages.
(function () {
  "use strict";

  function formOf(element) {
    var section = element.closest(".forum");
    return section && section.querySelector("form.forum-form");
  }

  function announce(form, text) {
    var live = form.closest(".forum").querySelector("[data-forum-live]");
    if (live) live.textContent = text;
  }

  function replyTo(link) {
    var form = formOf(link);
    var article = document.getElementById("comment-" + link.dataset.forumReply);
    if (!form || !article) return false;
    form.querySelector('input[name="parent_id"]').value = link.dataset.forumReply;
    // The form carries the title in the reader's language, "%(name)s" standing for the name.
    var title = form.dataset.forumReplyTitle || "Reply to %(name)s";
    form.querySelector(".forum-form-title").textContent =
      title.replace("%(name)s", function () { return link.dataset.forumAuthor; });
    article.insertAdjacentElement("afterend", form);
    form.querySelector("textarea").focus();
    return true;
  }

  function showErrors(form, errors) {
    form.querySelectorAll(".forum-js-error").forEach(function (node) { node.remove(); });
    var messages = [];
    Object.keys(errors).forEach(function (name) { messages = messages.concat(errors[name]); });
    var note = document.createElement("p");
    note.className = "forum-form-error forum-js-error";
    note.setAttribute("role", "alert");
    note.textContent = messages.join(" ");
    form.querySelector(".forum-form-title").insertAdjacentElement("afterend", note);
  }

  function articleFor(comment) {
    var article = document.createElement("article");
    article.id = "comment-" + comment.id;
    article.className = "forum-comment" + (comment.status === "approved" ? "" : " forum-comment-pending");
    article.dataset.depth = comment.depth;
    if (comment.parent_id) article.dataset.parent = comment.parent_id;
    var header = document.createElement("header");
    header.className = "forum-meta";
    var author = document.createElement("span");
    author.className = "forum-author";
    author.textContent = comment.author;
    var time = document.createElement("time");
    time.setAttribute("datetime", comment.created_at);
    time.textContent = comment.when || "just now";
    header.append(author, " ", time);
    var notice = document.createElement("p");
    notice.className = "forum-notice";
    notice.textContent = comment.notice;
    var body = document.createElement("div");
    body.className = "forum-body";
    body.innerHTML = comment.html; // sanitized by the server when it was written
    article.append(header, notice, body);
    return article;
  }

  // A form's ticket posts one comment: each answer brings the next one.
  function renewTicket(form, ticket) {
    var field = form.querySelector('input[name="forum_ticket"]');
    if (field && ticket) field.value = ticket;
  }

  function place(form, comment) {
    var item = document.createElement("li");
    item.className = "forum-item";
    item.appendChild(articleFor(comment));
    var parent = comment.parent_id && document.getElementById("comment-" + comment.parent_id);
    var list;
    if (parent) {
      var holder = parent.parentElement;
      list = holder.querySelector(":scope > ol.forum-replies");
      if (!list) {
        list = document.createElement("ol");
        list.className = "forum-replies";
        holder.appendChild(list);
      }
    } else {
      list = form.closest(".forum").querySelector("ol.forum-comments");
      if (!list) {
        list = document.createElement("ol");
        list.className = "forum-comments";
        form.insertAdjacentElement("beforebegin", list);
      }
    }
    list.appendChild(item);
    return item;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-forum-reply]");
    if (link && replyTo(link)) event.preventDefault();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.forum-form[data-forum-inline]") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        button.disabled = false;
        renewTicket(form, result.data.ticket);
        if (result.status === 201) {
          var item = place(form, result.data);
          form.querySelector("textarea").value = "";
          form.querySelectorAll(".forum-js-error").forEach(function (node) { node.remove(); });
          item.querySelector("article").setAttribute("tabindex", "-1");
          announce(form, result.data.notice);
        } else {
          showErrors(form, result.data.errors || { form: [result.data.error] });
        }
      })
      .catch(function () {
        // Anything unexpected: post the plain way, which always works.
        form.submit();
      });
  });
})();
