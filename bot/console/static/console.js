// Tidtam console: a little plain JavaScript, no build step.
"use strict";

// The sign-in page sends its form at once; the button is there without JavaScript.
const autosubmit = document.querySelector("form[data-autosubmit]");
if (autosubmit && !sessionStorage.getItem("tidtam-signing-in")) {
  sessionStorage.setItem("tidtam-signing-in", "1");
  autosubmit.submit();
} else {
  sessionStorage.removeItem("tidtam-signing-in");
}

// Refuse a file over the limit before uploading it (the server refuses it too).
for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
  input.addEventListener("change", () => {
    const max = Number(input.dataset.maxBytes);
    const file = input.files && input.files[0];
    const note = document.getElementById(input.dataset.note || "");
    if (file && file.size > max) {
      input.value = "";
      if (note) { note.textContent = input.dataset.tooLarge; note.hidden = false; }
    } else if (note) {
      note.hidden = true;
    }
  });
}

// Filters submit themselves when changed.
for (const select of document.querySelectorAll("form[data-autofilter] select")) {
  select.addEventListener("change", () => select.form.submit());
}

// Print buttons.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}

// A preview cell that was changed is marked, so the admin sees what they corrected.
for (const cell of document.querySelectorAll("table.preview input, table.preview select, table.preview textarea")) {
  const initial = cell.value;
  cell.addEventListener("input", () => cell.classList.toggle("changed", cell.value !== initial));
}
