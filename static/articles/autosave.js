/* Autosave for the article form: unsaved text is kept in this browser's
   localStorage so a closed tab, a crash or an expired login loses nothing.

   - Every few seconds, when leaving the page and when the form is sent, the
     headline, standfirst, byline, lead caption and body (CKEditor's getData)
     are stored under "newsroom-autosave:<article id or new>:<version loaded>".
   - When the form loads and a stored copy differs from what the page shows, a
     notice offers to restore or discard it, with both times. When the article
     was saved again after the copy's version, the notice says so and shows
     both texts: nothing newer is ever replaced without the person choosing.
   - A copy that was sent with the form is forgotten once the admin says the
     save worked (a success message, or a newer version on the page).
   Loaded as a static file (no inline script), so a strict CSP allows it. */
(function () {
  "use strict";

  var PREFIX = "newsroom-autosave:";
  var FIELDS = ["title", "standfirst", "byline", "lead_caption"];
  var INTERVAL_MS = 4000;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage disabled: autosave quietly does nothing
    }
  }

  function entries(store, article) {
    var found = [];
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX + (article === undefined ? "" : article + ":")) === 0) {
        try {
          found.push({ key: key, value: JSON.parse(store.getItem(key)) });
        } catch (error) {
          store.removeItem(key);
        }
      }
    }
    return found;
  }

  function savedSuccessfully() {
    return document.querySelector(".messagelist .success") !== null;
  }

  function editor() {
    return window.CKEDITOR && window.CKEDITOR.instances ? window.CKEDITOR.instances.id_body : null;
  }

  function whenEditorReady(callback) {
    var instance = editor();
    if (!document.getElementById("id_body") || !window.CKEDITOR) {
      callback();
    } else if (instance && instance.status === "ready") {
      callback();
    } else {
      window.CKEDITOR.on("instanceReady", function (event) {
        if (event.editor.name === "id_body") {
          callback();
        }
      });
    }
  }

  function snapshot(form) {
    var fields = {};
    FIELDS.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && typeof input.value === "string") {
        fields[name] = input.value;
      }
    });
    var instance = editor();
    var body = form.elements.namedItem("body");
    fields.body = instance ? instance.getData() : body ? body.value : "";
    return fields;
  }

  function restore(form, fields) {
    FIELDS.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && typeof fields[name] === "string") {
        input.value = fields[name];
      }
    });
    var instance = editor();
    if (instance) {
      instance.setData(fields.body || "");
    } else if (form.elements.namedItem("body")) {
      form.elements.namedItem("body").value = fields.body || "";
    }
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function plainText(fields) {
    // DOMParser makes an inert document: nothing in the stored HTML runs.
    var body = new DOMParser().parseFromString(fields.body || "", "text/html").body.textContent;
    return [fields.title || "", fields.standfirst || "", body.trim()].filter(Boolean).join("\n\n");
  }

  function when(value) {
    var date = new Date(value);
    return isNaN(date.getTime()) ? "an unknown time" : date.toLocaleString();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function showNotice(form, draft, loaded, choose) {
    var newer = loaded.version > draft.version;
    var box = element("div", "newsroom-autosave" + (newer ? " newsroom-autosave--newer" : ""));
    box.setAttribute("role", "alert");
    box.appendChild(
      element(
        "p",
        "newsroom-autosave__title",
        "This browser kept text you had not saved, from " + when(draft.savedAt) + "."
      )
    );
    if (newer) {
      box.appendChild(
        element(
          "p",
          "",
          "Careful: the article was saved again after that text was written (your text is based on version " +
            draft.version + "; the page shows version " + loaded.version + ", saved " + when(loaded.savedAt) +
            "). Compare both below; restoring puts your text in the form in place of the newer one."
        )
      );
    } else if (loaded.savedAt) {
      box.appendChild(element("p", "", "The saved article on this page is from " + when(loaded.savedAt) + "."));
    }
    var columns = element("div", "newsroom-autosave__columns");
    [
      ["Your unsaved text (" + when(draft.savedAt) + ")", draft.fields],
      [loaded.savedAt ? "Saved version (" + when(loaded.savedAt) + ")" : "What the form shows now", loaded.fields],
    ].forEach(function (pair) {
      var column = element("div", "newsroom-autosave__column");
      column.appendChild(element("h3", "", pair[0]));
      column.appendChild(element("pre", "newsroom-autosave__text", plainText(pair[1])));
      columns.appendChild(column);
    });
    var details = element("details", "newsroom-autosave__details");
    details.appendChild(element("summary", "", "Show both texts"));
    details.appendChild(columns);
    if (newer) {
      details.open = true;
    }
    box.appendChild(details);
    var buttons = element("p", "newsroom-autosave__buttons");
    var restoreButton = element("button", "button default newsroom-autosave__restore", "Restore my unsaved text");
    var discardButton = element("button", "button newsroom-autosave__discard", "Discard it");
    restoreButton.type = discardButton.type = "button";
    restoreButton.addEventListener("click", function () {
      choose(true);
      box.remove();
    });
    discardButton.addEventListener("click", function () {
      choose(false);
      box.remove();
    });
    buttons.appendChild(restoreButton);
    buttons.appendChild(document.createTextNode(" "));
    buttons.appendChild(discardButton);
    box.appendChild(buttons);
    form.insertBefore(box, form.firstChild);
  }

  function init() {
    var store = storage();
    if (!store) {
      return;
    }
    if (savedSuccessfully()) {
      // The admin confirmed a save: copies that were sent with a form are in the database now.
      entries(store).forEach(function (entry) {
        if (entry.value && entry.value.submitted) {
          store.removeItem(entry.key);
        }
      });
    }
    var marker = document.querySelector("input[name=loaded_version][data-article]");
    var form = marker ? marker.form : null;
    if (!form) {
      return;
    }
    var article = marker.getAttribute("data-article");
    var loaded = {
      version: parseInt(marker.value, 10) || 0,
      savedAt: marker.getAttribute("data-saved-at") || "",
    };
    var key = PREFIX + article + ":" + loaded.version;
    var pending = false; // while the notice waits for a choice, nothing overwrites the stored copy
    var last = null;

    function keep(submitted) {
      if (pending) {
        return;
      }
      var fields = snapshot(form);
      if (!submitted && last !== null && same(fields, last)) {
        return;
      }
      last = fields;
      try {
        store.setItem(
          key,
          JSON.stringify({ version: loaded.version, savedAt: new Date().toISOString(), submitted: !!submitted, fields: fields })
        );
      } catch (error) {
        // full or unavailable: nothing to do but go on
      }
    }

    function forget(entriesToForget) {
      entriesToForget.forEach(function (entry) {
        store.removeItem(entry.key);
      });
    }

    whenEditorReady(function () {
      var current = snapshot(form);
      last = current;
      var stored = entries(store, article).sort(function (a, b) {
        return String(b.value.savedAt).localeCompare(String(a.value.savedAt));
      });
      var draft = stored.length ? stored[0].value : null;
      var alreadySaved = draft && draft.submitted && loaded.version > draft.version;
      if (!draft || !draft.fields || alreadySaved || same(draft.fields, current)) {
        forget(stored);
      } else {
        pending = true;
        loaded.fields = current;
        showNotice(form, draft, loaded, function (useDraft) {
          forget(stored);
          pending = false;
          if (useDraft) {
            restore(form, draft.fields);
          }
          last = null;
          keep(false);
        });
      }
      window.setInterval(function () {
        keep(false);
      }, INTERVAL_MS);
      window.addEventListener("beforeunload", function () {
        keep(false);
      });
      form.addEventListener("submit", function () {
        keep(true);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
