/* The picture form's "Decorative" choice (articles/admin/alt_text.py): while it is
   ticked the alt text field is disabled, so the form sends the empty alt text a
   decorative picture has; unticking gives back what was typed. */
(function () {
  "use strict";

  function init() {
    var decorative = document.getElementById("id_decorative");
    var alt = document.getElementById("id_alt_text");
    if (!decorative || !alt) {
      return;
    }
    function sync() {
      alt.disabled = decorative.checked;
    }
    decorative.addEventListener("change", sync);
    sync();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
