package dev.moire.report;

/** The frame every page shares: a strict Content-Security-Policy and the style sheet. */
final class Page {
  private Page() {}

  static final String CSS =
      """
      body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
      table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
      tr.failed td.reason{color:#b00;font-weight:bold}.meta{color:#666}
      .finding{border-left:4px solid #b00;padding:4px 8px;margin:6px 0;background:#fff4f4}
      .finding.warning{border-color:#c80;background:#fffbea}
      """;

  static void head(StringBuilder b, String title) {
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src '")
        .append(Csp.sha256(CSS))
        .append("'; base-uri 'none'; form-action 'none'\">\n<title>")
        .append(Html.esc(title))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style></head><body>\n");
  }

  static void tail(StringBuilder b) {
    b.append("</body></html>\n");
  }
}
