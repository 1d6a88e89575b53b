// The header search box: send the query to the search page (Pagefind's UI runs there).
(function () {
  "use strict";
  var form = document.querySelector("form.bp-search");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = form.querySelector("input[name=q]");
    var url = new URL(form.getAttribute("data-search-page"), window.location.href);
    url.searchParams.set("q", input ? input.value : "");
    window.location.assign(url.toString());
  });
})();
