package dev.moire.report;

/** Escaping for text and attribute values in HTML, and for JSON embedded in a page. */
final class Html {
  private Html() {}

  /** Escapes text for an element body or a quoted attribute value. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Makes JSON safe inside a {@code <script type="application/json">} element: no {@code <}, {@code
   * >} or {@code &} can end the element or start markup, and the line separators JavaScript once
   * rejected are escaped.
   */
  static String scriptSafeJson(String json) {
    return json.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }
}
