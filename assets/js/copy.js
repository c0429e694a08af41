/* Copy buttons: each <button class="copy-button" data-copy="ID"> copies the text of the element #ID.
   The buttons are hidden in the HTML and shown here, so a reader without JavaScript never sees a dead button;
   the text stays selectable either way.
   A citation format whose text the page leaves out (an empty, hidden <pre> in a <details>) is fetched from its
   download link when its section is opened (again after a failure); its copy button shows once the text is there. */
(function () {
  "use strict";

  function announce(button, copied) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = copied ? "Copied" : label;
    say(button.closest("section") || document, copied ? "Citation copied to the clipboard." : "Select the text and copy it.");
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

  function say(scope, message) {
    var status = scope.querySelector(".copy-status");
    if (status) { status.textContent = message; }
  }

  function loadWhenOpened(details) {
    var pre = details.querySelector("pre.cite");
    var link = details.querySelector("a.cite-download");
    if (!pre || !link || pre.textContent !== "") { return; }
    details.addEventListener("toggle", function () {
      if (!details.open || details.hasAttribute("data-state")) { return; }
      details.setAttribute("data-state", "loading");
      window.fetch(link.href).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      }).then(function (text) {
        pre.textContent = text;  // text, never markup
        pre.hidden = false;
        Array.prototype.forEach.call(details.querySelectorAll("button.copy-button"), function (b) { b.hidden = false; });
        details.setAttribute("data-state", "loaded");
      }, function () {
        details.removeAttribute("data-state");  // opened again, it tries again
        say(details.closest("section") || document, "This format could not be shown here: use its download link.");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.copy-button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      button.hidden = !target || target.hidden;
      button.addEventListener("click", function () { copy(button); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("details.cite-format"), loadWhenOpened);
  });
}());
