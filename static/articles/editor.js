/* CKEditor 4 posts image uploads itself; Django's CSRF check needs the token
   in a header, so add it to every upload request the editor makes. */
(function () {
  "use strict";
  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  if (!window.CKEDITOR) {
    return;
  }
  window.CKEDITOR.on("instanceCreated", function (event) {
    event.editor.on("fileUploadRequest", function (upload) {
      upload.data.fileLoader.xhr.setRequestHeader("X-CSRFToken", csrfToken());
    });
  });
})();
