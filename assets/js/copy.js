/* Copy buttons: each <button class="copy-button" data-copy="ID"> copies the text of the element #ID.
   The buttons are hidden in the HTML and shown here, so a reader without JavaScript never sees a dead button;
   the text stays selectable either way. */
(function () {
  "use strict";

  function announce(button, copied) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = copied ? "Copied" : label;
    var scope = button.closest("section") || document;
    var status = scope.querySelector(".copy-status");
    if (status) { status.textContent = copied ? "Citation copied to the clipboard." : "Select the text and copy it."; }
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  function selectAndCopy(element) {
    // Without the asynchronous clipboard (a page opened over plain HTTP): select the text and copy it.
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(target.textContent).then(
        function () { announce(button, true); },
        function () { announce(button, selectAndCopy(target)); });
    } else {
      announce(button, selectAndCopy(target));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.copy-button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
}());
