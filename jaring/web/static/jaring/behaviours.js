// Small page behaviours without inline handlers (the Content-Security-Policy forbids those):
//   <select data-autosubmit>           submits its form when changed
//   <form data-confirm="Question?">    asks before submitting
//   <input data-rupiah-output="ID">    writes its value as Rupiah into the <output id=ID>
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el && el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
});
document.addEventListener("submit", function (e) {
  var form = e.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { e.preventDefault(); }
}, true);
document.addEventListener("input", function (e) {
  var el = e.target;
  var id = el && el.getAttribute && el.getAttribute("data-rupiah-output");
  if (id) {
    var out = document.getElementById(id);
    if (out) { out.value = Number(el.value).toLocaleString("id-ID"); }
  }
});
//   <button data-print>                 prints the page
document.addEventListener("click", function (e) {
  var el = e.target && e.target.closest ? e.target.closest("[data-print]") : null;
  if (el) { e.preventDefault(); window.print(); }
});
