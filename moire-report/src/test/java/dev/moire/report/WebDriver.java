package dev.moire.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A small W3C WebDriver client for Debian's chromedriver and headless Chromium, over plain HTTP:
 * nothing is downloaded, no browser manager runs.
 */
@SuppressWarnings({
  "try", "exports"
}) // close() waits for chromedriver; JsonNode is a test dependency
public final class WebDriver implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process driver;
  private final String base;
  private final String session;

  /** Whether Debian's chromium and chromedriver are installed. */
  public static boolean available() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** Starts chromedriver and a headless Chromium with its profile in {@code profile}. */
  public WebDriver(Path profile) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver =
        new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromedriver.log").toFile())
            .start();
    base = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        driver.destroyForcibly();
        throw new IllegalStateException("chromedriver did not become ready on port " + port);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    Map<String, Object> caps =
        Map.of(
            "capabilities",
            Map.of(
                "alwaysMatch",
                Map.of(
                    "browserName", "chrome",
                    "goog:loggingPrefs", Map.of("browser", "ALL"),
                    "goog:chromeOptions",
                        Map.of(
                            "binary",
                            CHROMIUM.toString(),
                            "args",
                            List.of(
                                "--headless=new",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run",
                                "--disable-dev-shm-usage",
                                "--window-size=1400,1000",
                                "--user-data-dir=" + profile)))));
    JsonNode created = call("POST", "/session", caps);
    session = created.path("value").path("sessionId").asText();
    if (session.isEmpty()) {
      throw new IllegalStateException("no WebDriver session: " + created);
    }
  }

  /** Opens a local file. */
  public void open(Path file) throws Exception {
    call("POST", "/session/" + session + "/url", Map.of("url", file.toUri().toString()));
  }

  /** Runs a script in the page and returns its result. */
  public JsonNode execute(String script, Object... args) throws Exception {
    return call(
            "POST",
            "/session/" + session + "/execute/sync",
            Map.of("script", script, "args", List.of(args)))
        .path("value");
  }

  /** Returns the browser console's entries since the last call, as "LEVEL message". */
  public List<String> consoleLog() throws Exception {
    JsonNode v = call("POST", "/session/" + session + "/se/log", Map.of("type", "browser"));
    List<String> out = new ArrayList<>();
    v.path("value")
        .forEach(e -> out.add(e.path("level").asText() + " " + e.path("message").asText()));
    return out;
  }

  /**
   * Sizes the window so that the page's viewport is {@code width} × {@code height} CSS pixels, as a
   * person's browser window of that size shows it.
   */
  public void viewport(int width, int height) throws Exception {
    for (int i = 0; i < 3; i++) {
      JsonNode inner = execute("return [window.innerWidth, window.innerHeight];");
      int dw = width - inner.get(0).asInt();
      int dh = height - inner.get(1).asInt();
      if (dw == 0 && dh == 0) {
        return;
      }
      JsonNode rect = call("GET", "/session/" + session + "/window/rect", null).path("value");
      call(
          "POST",
          "/session/" + session + "/window/rect",
          Map.of(
              "width",
              rect.path("width").asInt() + dw,
              "height",
              rect.path("height").asInt() + dh));
    }
  }

  /** Writes a PNG of the viewport. */
  public void screenshot(Path png) throws Exception {
    String b64 = call("GET", "/session/" + session + "/screenshot", null).path("value").asText();
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(b64));
  }

  private JsonNode call(String method, String path, Object body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(60_000);
    if (body != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = c.getOutputStream()) {
        out.write(JSON.writeValueAsBytes(body));
      }
    }
    int status = c.getResponseCode();
    String text;
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      text = in == null ? "{}" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (status >= 400) {
      throw new IllegalStateException(
          "WebDriver " + method + " " + path + " failed (" + status + "): " + text);
    }
    return JSON.readTree(text);
  }

  @Override
  public void close() throws Exception {
    try {
      call("DELETE", "/session/" + session, null);
    } finally {
      driver.destroy();
      driver.waitFor();
    }
  }
}
