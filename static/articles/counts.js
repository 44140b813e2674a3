/* Live counts under the article form's headline, standfirst and body.

   Inputs with data-count-limit get "N characters", with what the limit is for
   (data-count-note), marked once past it. The body (CKEditor 4) gets words,
   characters and reading time, counted as the server counts words
   (articles/content/text.py: runs of letters, digits and underscores).
   django-ckeditor does not bundle CKEditor's wordcount plugin, so this listens to
   the editor's own change events. No inline script: the admin's CSP. */
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}\p{M}_]+/gu;

  // Under the field, where the admin puts help text (after the label-and-input row).
  function countLine(field) {
    var line = document.createElement("p");
    line.className = "help newsroom-count";
    line.setAttribute("aria-live", "polite");
    (field.closest(".flex-container") || field).insertAdjacentElement("afterend", line);
    return line;
  }

  function characters(text) {
    return Array.from(text.replace(/\s+/g, " ").trim()).length;
  }

  function plural(n, one, many) {
    return n.toLocaleString() + " " + (n === 1 ? one : many);
  }

  function countField(input) {
    var limit = Number(input.dataset.countLimit);
    var line = countLine(input);
    line.id = input.id + "_count";
    function update() {
      var n = characters(input.value);
      line.textContent = plural(n, "character", "characters") + " · " + input.dataset.countNote;
      line.classList.toggle("newsroom-count--over", n > limit);
    }
    input.addEventListener("input", update);
    update();
  }

  function countBody(editor) {
    var textarea = editor.element.$;
    var perMinute = Number(textarea.dataset.wordsPerMinute) || 230;
    var line = countLine(textarea);
    line.id = textarea.id + "_count";
    function update() {
      var editable = editor.editable();
      var text = editable ? editable.getText() : "";
      var words = (text.match(WORD) || []).length;
      var minutes = Math.max(1, Math.ceil(words / perMinute));
      line.textContent =
        plural(words, "word", "words") + " · " + plural(characters(text), "character", "characters") +
        " · about " + plural(minutes, "minute", "minutes") + " to read";
    }
    editor.on("change", update);
    editor.on("dataReady", update);
    editor.on("mode", update);
    update();
  }

  function countIfBody(editor) {
    if (editor.element.$.hasAttribute("data-words-per-minute") && !editor.newsroomCounted) {
      editor.newsroomCounted = true;
      countBody(editor);
    }
  }

  // After ckeditor.js (the form's media asks for that order) and before the editors are ready.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-count-limit], textarea[data-count-limit]").forEach(countField);
    if (!window.CKEDITOR) {
      return;
    }
    window.CKEDITOR.on("instanceReady", function (event) {
      countIfBody(event.editor);
    });
    Object.keys(window.CKEDITOR.instances).forEach(function (name) {
      var editor = window.CKEDITOR.instances[name];
      if (editor.status === "ready") {
        countIfBody(editor);
      }
    });
  });
})();
