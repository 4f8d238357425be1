// Copy buttons (<button data-copy="element-id">) and fields that select
// themselves on focus. A file, not inline: the content security policy runs
// only our own scripts.
(function () {
  "use strict";

  function copied(button) {
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 2000);
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { copied(button); },
        function () { document.execCommand("copy"); copied(button); }
      );
    } else {
      document.execCommand("copy");
      copied(button);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
