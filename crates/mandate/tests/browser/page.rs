//! Scripts run in the page to find things the way a person names them. Each finder takes the name as its argument
//! and returns the element, or `{offered: [...]}` listing the names the page has, for the failure message.

/// A form control by its label's text (hints in `.hint` and nested controls left out), or by its `aria-label`
/// where a table of inputs names each one that way.
pub const FIELD: &str = r#"
var want = arguments[0];
function name(label) {
  var c = label.cloneNode(true);
  c.querySelectorAll('.hint, input, select, textarea').forEach(function (e) { e.remove(); });
  return c.textContent.replace(/\s+/g, ' ').trim();
}
var labels = Array.from(document.querySelectorAll('label'));
var hit = labels.find(function (l) { return l.control && name(l) === want; });
if (hit) { return hit.control; }
var named = Array.from(document.querySelectorAll('input[aria-label], select[aria-label], textarea[aria-label]'));
var byAria = named.find(function (c) { return c.getAttribute('aria-label') === want; });
return byAria || { offered: labels.map(name).concat(named.map(function (c) { return c.getAttribute('aria-label'); })) };
"#;

/// A submit button by its text; inside the element matched by the CSS selector in the optional second argument.
pub const BUTTON: &str = r#"
var want = arguments[0];
var root = arguments[1] ? document.querySelector(arguments[1]) : document;
if (!root) { return { offered: [] }; }
function name(b) { return (b.innerText || b.value || '').replace(/\s+/g, ' ').trim(); }
var buttons = Array.from(root.querySelectorAll('button, input[type=submit]'));
var hit = buttons.find(function (b) { return name(b) === want; });
return hit ? hit : { offered: buttons.map(name) };
"#;

/// A link by its text.
pub const LINK: &str = r#"
var want = arguments[0];
function name(a) { return a.innerText.replace(/\s+/g, ' ').trim(); }
var links = Array.from(document.querySelectorAll('a[href]'));
var hit = links.find(function (a) { return name(a) === want; });
return hit ? hit : { offered: links.map(name) };
"#;

/// The texts of the page's confirmations and alerts.
pub const NOTICES: &str = r#"
return Array.from(document.querySelectorAll('[role=status], [role=alert], .notice, .error'))
  .map(function (e) { return e.innerText.trim(); });
"#;
