package dev.moire.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Content-Security-Policy hash sources for the inline style and script of a page. */
final class Csp {
  private Csp() {}

  /** Returns {@code sha256-<base64>} of the exact text of an inline block. */
  static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return "sha256-"
          + Base64.getEncoder().encodeToString(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
