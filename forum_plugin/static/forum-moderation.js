// The dashboard's "every comment on this page" box also ticks each row, so
// moderators see what a bulk action will touch. Everything works without it.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches("[data-forum-select-all]")) return;
  document.querySelectorAll('input[name="ids"][form="forum-bulk"]').forEach(function (row) {
    row.checked = box.checked;
  });
});
