/* The image form's focal point: click the subject of the picture and the
   hidden focal_x / focal_y inputs get its position as fractions (0 = left or
   top, 1 = right or bottom); renditions crop around it. A static file with no
   inline script or style attribute, so a strict CSP allows it. */
(function () {
  "use strict";

  function init() {
    var box = document.querySelector(".newsroom-focal");
    var inputX = document.getElementById("id_focal_x");
    var inputY = document.getElementById("id_focal_y");
    if (!box || !inputX || !inputY) {
      return;
    }
    var picture = box.querySelector(".newsroom-focal__picture");
    var marker = box.querySelector(".newsroom-focal__marker");
    var clear = document.querySelector(".newsroom-focal__clear");

    function show() {
      var x = parseFloat(inputX.value);
      var y = parseFloat(inputY.value);
      if (isNaN(x) || isNaN(y)) {
        marker.hidden = true;
        return;
      }
      // In pixels from the picture's own box, not percentages of the wrapper: the wrapper can be wider
      // than the picture (the admin's layout sizes it), which drew the marker beside the click.
      // CSSOM, not a style attribute: allowed under a CSP without 'unsafe-inline'.
      marker.style.left = picture.offsetLeft + picture.clientLeft + x * picture.clientWidth + "px";
      marker.style.top = picture.offsetTop + picture.clientTop + y * picture.clientHeight + "px";
      marker.hidden = false;
    }

    function clamp(value) {
      return Math.min(1, Math.max(0, value));
    }

    picture.addEventListener("click", function (event) {
      var frame = picture.getBoundingClientRect();
      inputX.value = clamp((event.clientX - frame.left) / frame.width).toFixed(4);
      inputY.value = clamp((event.clientY - frame.top) / frame.height).toFixed(4);
      show();
    });
    // The picture's size changes with the window and once it has loaded.
    window.addEventListener("resize", show);
    picture.addEventListener("load", show);
    if (clear) {
      clear.addEventListener("click", function () {
        inputX.value = "";
        inputY.value = "";
        show();
      });
    }
    show();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
