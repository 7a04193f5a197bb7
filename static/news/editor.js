/* A small rich-text editor over the body textarea (progressive enhancement: without JavaScript
   the textarea takes HTML or plain text). Pasted HTML (e.g. from Word) is reduced to the same
   allow-list the server applies; the server cleans again on save, so this is a convenience only. */
(function () {
  "use strict";
  var area = document.getElementById("id_body");
  if (!area || !document.execCommand || !window.DOMParser) { return; }

  var TAGS = { P: 1, BR: 1, H2: 1, H3: 1, H4: 1, UL: 1, OL: 1, LI: 1, A: 1, STRONG: 1, EM: 1, B: 1, I: 1, U: 1,
    BLOCKQUOTE: 1, FIGURE: 1, FIGCAPTION: 1, IMG: 1, TABLE: 1, CAPTION: 1, THEAD: 1, TBODY: 1, TR: 1, TH: 1, TD: 1 };
  var DROP = { SCRIPT: 1, STYLE: 1, XML: 1, TITLE: 1, HEAD: 1, NOSCRIPT: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1,
    EMBED: 1, SVG: 1, MATH: 1, TEXTAREA: 1, SELECT: 1, BUTTON: 1, META: 1, LINK: 1 };
  var RENAME = { H1: "H2", H5: "H4", H6: "H4", DIV: "P" };
  var ATTRS = { A: ["href", "title"], IMG: ["src", "alt", "width", "height"], TD: ["colspan", "rowspan"], TH: ["colspan", "rowspan"] };
  var OWN_IMAGE = /^\/tin-tuc\/anh\/\d{4}\/[0-9a-f]{32}\.(jpg|png|webp)$/;
  var SAFE_HREF = /^(https?:|mailto:|\/(?!\/)|#)/i;

  function cleanNode(node, doc) {
    var children = Array.prototype.slice.call(node.childNodes);
    children.forEach(function (child) {
      if (child.nodeType === 8) { child.remove(); return; }            // comments (Word's conditionals)
      if (child.nodeType !== 1) { return; }                            // text stays
      var tag = child.tagName.toUpperCase().replace(/^.*:/, "");
      if (DROP[tag]) { child.remove(); return; }
      cleanNode(child, doc);
      var name = RENAME[tag] || tag;
      if (!TAGS[name]) {                                               // unknown tag: keep its content
        while (child.firstChild) { node.insertBefore(child.firstChild, child); }
        child.remove();
        return;
      }
      var copy = doc.createElement(name);
      (ATTRS[name] || []).forEach(function (attr) {
        var value = child.getAttribute(attr);
        if (value === null) { return; }
        if (attr === "href" && !SAFE_HREF.test(value.trim())) { return; }
        if (attr === "src" && !OWN_IMAGE.test(value.trim())) { return; }
        if (/^(width|height|colspan|rowspan)$/.test(attr) && !/^\d{1,4}$/.test(value)) { return; }
        copy.setAttribute(attr, value);
      });
      if (name === "IMG" && !copy.getAttribute("src")) { child.remove(); return; }
      while (child.firstChild) { copy.appendChild(child.firstChild); }
      node.replaceChild(copy, child);
    });
  }

  function clean(html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");  // inert: no scripts, no loads
    cleanNode(doc.body, doc);
    return doc.body.innerHTML;
  }

  var editor = document.createElement("div");
  editor.id = "body-editor";
  editor.className = "rich";
  editor.contentEditable = "true";
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-multiline", "true");
  editor.setAttribute("aria-label", "Nội dung");
  editor.innerHTML = clean(area.value);

  var toolbar = document.createElement("div");
  toolbar.className = "toolbar";
  toolbar.setAttribute("role", "toolbar");
  [["Đoạn", "formatBlock", "P"], ["Tiêu đề mục", "formatBlock", "H2"], ["Tiêu đề nhỏ", "formatBlock", "H3"],
   ["Đậm", "bold"], ["Nghiêng", "italic"], ["• Danh sách", "insertUnorderedList"], ["1. Danh sách", "insertOrderedList"],
   ["Trích dẫn", "formatBlock", "BLOCKQUOTE"], ["Liên kết", "createLink"], ["Bỏ định dạng", "removeFormat"]
  ].forEach(function (item) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = item[0];
    button.addEventListener("click", function () {
      editor.focus();
      if (item[1] === "createLink") {
        var url = window.prompt("Địa chỉ liên kết (https://…)", "https://");
        if (url && SAFE_HREF.test(url.trim())) { document.execCommand("createLink", false, url.trim()); }
        return;
      }
      document.execCommand(item[1], false, item[2] || null);
    });
    toolbar.appendChild(button);
  });
  var source = document.createElement("button");
  source.type = "button";
  source.textContent = "HTML";
  source.title = "Sửa trực tiếp mã HTML";
  source.addEventListener("click", function () {
    if (area.hidden) { area.value = editor.innerHTML; area.hidden = false; editor.hidden = true; }
    else { editor.innerHTML = clean(area.value); area.hidden = true; editor.hidden = false; }
  });
  toolbar.appendChild(source);

  editor.addEventListener("paste", function (event) {
    var data = event.clipboardData;
    if (!data) { return; }
    var html = data.getData("text/html");
    event.preventDefault();
    if (html) {
      document.execCommand("insertHTML", false, clean(html));
    } else {
      document.execCommand("insertText", false, data.getData("text/plain"));
    }
  });

  area.hidden = true;
  area.parentNode.insertBefore(toolbar, area);
  area.parentNode.insertBefore(editor, area);
  var form = area.form;
  if (form) {
    form.addEventListener("submit", function () { if (area.hidden) { area.value = editor.innerHTML; } });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button.insert-figure"), function (button) {
    button.addEventListener("click", function () {
      var figure = clean(button.getAttribute("data-figure"));
      if (area.hidden) {
        editor.focus();
        if (!editor.contains(document.getSelection().anchorNode)) {
          editor.insertAdjacentHTML("beforeend", figure);
        } else {
          document.execCommand("insertHTML", false, figure);
        }
      } else {
        area.value += "\n" + figure;
      }
      area.scrollIntoView({ block: "center" });
    });
  });
}());
