package dev.moire.samples.plain;

import java.nio.file.Path;
import java.util.List;

/** The plain-JDK stories, and the README that quotes them. */
final class Stories {
  private Stories() {}

  /**
   * Every story: the known-bad samples' plain-JDK twins, and a lost wake-up on a plain monitor
   * (moire's own types have no monitor to twin it).
   */
  static List<Class<?>> all() {
    return List.of(
        CopyJobsStory.class,
        CacheWarmerStory.class,
        AuditPipelineStory.class,
        QuoteClientStory.class,
        ReportServiceStory.class,
        RegionCacheStory.class,
        MailboxStory.class);
  }

  /** The README's lines (the module's tests run in sample-tests-plain/). */
  static List<String> readme() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("..", "README.md"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A message with what varies between runs (times, identity hashes) made constant. */
  static String normalized(String message) {
    return message.replaceAll("\\d+ ms", "N ms").replaceAll("@[0-9a-f]+", "@HASH");
  }
}
