// furo's theme bootstrap (its base.html has it inline): apply the reader's saved light/dark choice
// before the page paints. Kept in a file so the Content-Security-Policy allows no inline script.
document.body.dataset.theme = localStorage.getItem("theme") || "auto";
