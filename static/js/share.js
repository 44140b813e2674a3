// The article page's "Copy link" button: hidden without script, shown here, copies the article's address.
"use strict";
document.querySelectorAll("[data-copy-url]").forEach((button) => {
  if (!navigator.clipboard) return;
  const status = button.parentElement.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(button.dataset.copyUrl).then(
      () => { status.textContent = "Link copied"; },
      () => { status.textContent = "Could not copy the link"; },
    );
  });
});
