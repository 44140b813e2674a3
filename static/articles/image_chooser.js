/* The picture chooser (articles/admin/image_library.py).

   On a form: "Choose a picture" opens the picture library as a popup, the way
   Django's raw_id_fields lookups do (RelatedObjectLookups.js); when a picture
   is picked there (or uploaded through the "+" popup), Django writes its id
   into the hidden input and we fetch its thumbnail and label to show.

   In the popup opened by the editor's image dialog ("Browse Server"):
   picking a picture hands its address and alt text back to CKEditor.

   A static file, no inline script: the admin's CSP needs nothing more. */
(function () {
  "use strict";

  function onChange(input, handler) {
    input.addEventListener("change", handler);
    // Django's popups announce the new value with jQuery's trigger(), which
    // native listeners do not hear.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(input).on("change", handler);
    }
  }

  function initChooser(box) {
    var input = box.querySelector(".newsroom-chooser__value");
    var thumb = box.querySelector(".newsroom-chooser__thumb");
    var label = box.querySelector(".newsroom-chooser__label");
    var open = box.querySelector(".newsroom-chooser__open");
    var clear = box.querySelector(".newsroom-chooser__clear");
    var shown = input.value;

    function showNothing() {
      thumb.hidden = true;
      thumb.removeAttribute("src");
      label.textContent = "No picture chosen";
      clear.hidden = true;
    }

    function show(summary) {
      thumb.src = summary.thumbnail;
      thumb.hidden = false;
      label.textContent = "";
      var link = document.createElement("a");
      link.href = summary.change_url;
      link.textContent = summary.label;
      label.appendChild(link);
      clear.hidden = false;
    }

    function update() {
      var value = input.value;
      if (value === shown) {
        return;
      }
      shown = value;
      if (!value) {
        showNothing();
        return;
      }
      label.textContent = "Loading…";
      var url = box.getAttribute("data-summary-url") + "?pk=" + encodeURIComponent(value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (summary) {
          if (input.value === value) {
            show(summary);
          }
        })
        .catch(function () {
          label.textContent = "Picture " + value;
        });
    }

    open.addEventListener("click", function (event) {
      if (typeof window.showRelatedObjectLookupPopup === "function") {
        event.preventDefault();
        window.showRelatedObjectLookupPopup(open);
      }
    });
    clear.addEventListener("click", function () {
      input.value = "";
      update();
    });
    onChange(input, update);
  }

  function initEditorBrowser(grid) {
    var functionNumber = grid.getAttribute("data-ckeditor-function");
    grid.addEventListener("click", function (event) {
      var pick = event.target.closest("[data-ckeditor-url]");
      if (!pick || !window.opener || !window.opener.CKEDITOR) {
        return;
      }
      event.preventDefault();
      var alt = pick.getAttribute("data-alt") || "";
      window.opener.CKEDITOR.tools.callFunction(functionNumber, pick.getAttribute("data-ckeditor-url"), function () {
        // Runs in the dialog's "Browse Server" button: fill the dialog's alt text too.
        var dialog = this.getDialog();
        var field = dialog.getContentElement("info", "alt") || dialog.getContentElement("info", "txtAlt");
        if (field) {
          field.setValue(alt);
        }
      });
      window.close();
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".newsroom-chooser"), initChooser);
    var grid = document.querySelector(".newsroom-grid[data-ckeditor-function]");
    if (grid) {
      initEditorBrowser(grid);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
