package dev.moire.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The frame every page shares: a strict Content-Security-Policy that allows exactly the page's own
 * inline style and script (by hash), and nothing from anywhere else.
 */
final class Page {
  static final String CSS = resource("report.css");
  static final String JS = resource("report.js");

  private Page() {}

  static void head(StringBuilder b, String title, boolean script) {
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src '")
        .append(Csp.sha256(CSS))
        .append("'; ");
    if (script) {
      b.append("script-src '").append(Csp.sha256(JS)).append("'; ");
    }
    b.append("img-src data:; base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(Html.esc(title))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style></head><body>\n");
  }

  static void tail(StringBuilder b, boolean script) {
    if (script) {
      b.append("<script>").append(JS).append("</script>\n");
    }
    b.append("</body></html>\n");
  }

  private static String resource(String name) {
    try (InputStream in = Page.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("moire-report is missing its resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read moire-report's resource " + name, e);
    }
  }
}
