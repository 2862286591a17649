/*
 * Flex messages drawn simply (LINE's Flex Message: bubble / carousel; header, hero, body, footer; box, text,
 * span, button, separator, image, icon, filler, spacer). Text goes in with textContent only.
 * FlexView.render(contents, onAction) → an element; onAction(action) is called when a button is tapped.
 */
window.FlexView = (function () {
  "use strict";

  var SIZES = { xxs: 11, xs: 12, sm: 13, md: 14, lg: 16, xl: 18, xxl: 20, "3xl": 24, "4xl": 28, "5xl": 32 };
  var SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
  var BORDERS = { none: 0, light: 0.5, normal: 1, medium: 2, "semi-bold": 3, bold: 4 };
  var IMAGE_SIZES = { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, "3xl": 180, "4xl": 200,
    "5xl": 240 };
  var JUSTIFY = { "flex-start": "flex-start", "flex-end": "flex-end", center: "center",
    "space-between": "space-between", "space-around": "space-around", "space-evenly": "space-evenly" };

  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function length(value, table) {
    if (value === undefined || value === null) return null;
    if (typeof value === "number") return value + "px";
    if (/^[0-9.]+(px|%)$/.test(value)) return value;
    return value in table ? table[value] + "px" : null;
  }

  function safeColour(value) {
    return typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : null;
  }

  function clickable(node, action, onAction) {
    if (!action) return;
    node.classList.add("flex-tappable");
    node.tabIndex = 0;
    node.setAttribute("role", "button");
    if (action.label) node.setAttribute("aria-label", action.label);
    node.addEventListener("click", function (event) { event.stopPropagation(); onAction(action); });
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onAction(action); }
    });
  }

  function padding(node, c) {
    var all = length(c.paddingAll, SPACING);
    if (all) node.style.padding = all;
    var sides = { paddingTop: "paddingTop", paddingBottom: "paddingBottom", paddingStart: "paddingLeft",
      paddingEnd: "paddingRight" };
    Object.keys(sides).forEach(function (key) {
      var value = length(c[key], SPACING);
      if (value) node.style[sides[key]] = value;
    });
  }

  function sizeItem(node, child, layout) {
    var grow = child.flex;
    if (layout === "horizontal" || layout === "baseline") {
      if (grow === undefined) grow = child.type === "separator" || child.type === "icon" ? 0 : 1;
    }
    node.style.flex = grow ? grow + " 1 0" : "0 0 auto";
    if (child.type !== "separator") node.style.minWidth = "0";
  }

  function box(c, onAction) {
    var layout = c.layout || "vertical";
    var node = el("div", "flex-box flex-" + layout);
    var bg = safeColour(c.backgroundColor);
    if (bg) node.style.backgroundColor = bg;
    var borderColour = safeColour(c.borderColor);
    var borderWidth = length(c.borderWidth, BORDERS);
    if (borderWidth || borderColour) {
      node.style.border = (borderWidth || "1px") + " solid " + (borderColour || "#d0d4da");
    }
    var radius = length(c.cornerRadius, SPACING);
    if (radius) node.style.borderRadius = radius;
    padding(node, c);
    if (c.width) node.style.width = c.width;
    if (c.height) node.style.height = c.height;
    if (c.maxWidth) node.style.maxWidth = c.maxWidth;
    if (JUSTIFY[c.justifyContent]) node.style.justifyContent = JUSTIFY[c.justifyContent];
    if (JUSTIFY[c.alignItems] || c.alignItems === "center") node.style.alignItems = c.alignItems;
    var spacing = length(c.spacing, SPACING);
    (c.contents || []).forEach(function (child, index) {
      var childNode = component(child, onAction, layout);
      if (!childNode) return;
      sizeItem(childNode, child, layout);
      var gap = index > 0 ? (length(child.margin, SPACING) || spacing) : null;
      if (gap && child.type !== "filler") {
        if (layout === "vertical") childNode.style.marginTop = gap;
        else childNode.style.marginLeft = gap;
      }
      node.appendChild(childNode);
    });
    clickable(node, c.action, onAction);
    return node;
  }

  function styleText(node, c) {
    var size = length(c.size, SIZES);
    if (size) node.style.fontSize = size;
    if (c.weight === "bold") node.style.fontWeight = "700";
    var colour = safeColour(c.color);
    if (colour) node.style.color = colour;
    if (c.style === "italic") node.style.fontStyle = "italic";
    if (c.decoration === "underline" || c.decoration === "line-through") node.style.textDecoration = c.decoration;
  }

  function text(c, onAction) {
    var node = el("div", "flex-text");
    styleText(node, c);
    if (c.align === "center" || c.align === "end") node.style.textAlign = c.align === "end" ? "right" : "center";
    if (c.wrap) {
      node.classList.add("flex-wrap");
      if (c.maxLines) { node.style.webkitLineClamp = String(c.maxLines); node.classList.add("flex-clamp"); }
    }
    if (c.gravity === "center") node.style.alignSelf = "center";
    if (c.gravity === "bottom") node.style.alignSelf = "flex-end";
    if (Array.isArray(c.contents) && c.contents.length) {
      c.contents.forEach(function (span) {
        var part = el("span");
        styleText(part, span);
        part.textContent = span.text || "";
        node.appendChild(part);
      });
    } else {
      node.textContent = c.text || "";
    }
    clickable(node, c.action, onAction);
    return node;
  }

  function button(c, onAction) {
    var style = c.style || "link";
    var node = el("button", "flex-button flex-button-" + style + (c.height === "sm" ? " flex-button-sm" : ""));
    node.type = "button";
    node.textContent = (c.action && c.action.label) || "…";
    var colour = safeColour(c.color);
    if (colour) {
      if (style === "link") node.style.color = colour; else node.style.backgroundColor = colour;
    }
    if (c.action) {
      node.dataset.actionType = c.action.type || "";
      node.addEventListener("click", function () { onAction(c.action); });
    } else {
      node.disabled = true;
    }
    return node;
  }

  function separator(c) {
    var node = el("div", "flex-separator");
    var colour = safeColour(c.color);
    if (colour) node.style.backgroundColor = colour;
    return node;
  }

  function image(c, onAction) {
    var wrap = el("div", "flex-image");
    var img = el("img");
    img.alt = "";
    img.loading = "lazy";
    if (typeof c.url === "string" && /^(https?:|data:image\/)/.test(c.url)) img.src = c.url;
    img.addEventListener("error", function () { wrap.classList.add("flex-image-missing"); });
    var ratio = typeof c.aspectRatio === "string" && /^\d+(\.\d+)?:\d+(\.\d+)?$/.test(c.aspectRatio)
      ? c.aspectRatio.split(":") : ["1", "1"];
    wrap.style.aspectRatio = ratio[0] + " / " + ratio[1];
    if (c.aspectMode === "cover") img.style.objectFit = "cover";
    var size = c.size === "full" ? "100%" : length(c.size || "md", IMAGE_SIZES);
    wrap.style.width = size || "100px";
    if (c.align === "start") wrap.style.marginRight = "auto";
    else if (c.align === "end") wrap.style.marginLeft = "auto";
    else wrap.style.margin = "0 auto";
    var bg = safeColour(c.backgroundColor);
    if (bg) wrap.style.backgroundColor = bg;
    wrap.appendChild(img);
    clickable(wrap, c.action, onAction);
    return wrap;
  }

  function icon(c) {
    var node = el("span", "flex-icon");
    var size = length(c.size || "md", SIZES);
    node.style.width = node.style.height = size;
    return node;
  }

  function component(c, onAction, parentLayout) {
    if (!c || typeof c !== "object") return null;
    switch (c.type) {
      case "box": return box(c, onAction);
      case "text": return text(c, onAction);
      case "button": return button(c, onAction);
      case "separator": return separator(c);
      case "image": return image(c, onAction);
      case "video": return c.altContent ? component(c.altContent, onAction, parentLayout) : null;
      case "icon": return icon(c);
      case "filler": return el("div", "flex-filler");
      case "spacer": {
        var spacer = el("div", "flex-filler");
        spacer.style.flex = "0 0 " + (length(c.size || "md", SPACING) || "8px");
        return spacer;
      }
      default: return null;
    }
  }

  function bubble(b, onAction) {
    var node = el("div", "flex-bubble flex-bubble-" + (b.size || "mega"));
    if (b.direction === "rtl") node.dir = "rtl";
    ["header", "hero", "body", "footer"].forEach(function (part) {
      var c = b[part];
      if (!c) return;
      var section = el("div", "flex-part flex-" + part);
      var style = (b.styles && b.styles[part]) || {};
      var bg = safeColour(style.backgroundColor);
      if (bg) section.style.backgroundColor = bg;
      if (style.separator) section.classList.add("flex-part-separated");
      var inner = component(c, onAction, "vertical");
      if (inner) section.appendChild(inner);
      node.appendChild(section);
    });
    clickable(node, b.action, onAction);
    return node;
  }

  function render(contents, onAction) {
    if (contents && contents.type === "carousel") {
      var row = el("div", "flex-carousel");
      (contents.contents || []).forEach(function (b) { row.appendChild(bubble(b, onAction)); });
      return row;
    }
    return bubble(contents || {}, onAction);
  }

  return { render: render };
})();
