/* Copy buttons beside addresses in the admin (share links, a live article's address):
   the clipboard where the browser allows it (https or localhost), else the address selected. */
(function () {
  "use strict";
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function done(button, text) {
    button.textContent = text;
    window.setTimeout(function () {
      button.textContent = "Copy";
    }, 2000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".newsroom-copy__button");
    if (!button) {
      return;
    }
    event.preventDefault();
    var link = button.parentElement.querySelector("a");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(button.dataset.copy).then(
        function () { done(button, "Copied"); },
        function () { selectText(link); done(button, "Selected: press Ctrl+C"); }
      );
    } else {
      selectText(link);
      done(button, "Selected: press Ctrl+C");
    }
  });
})();
