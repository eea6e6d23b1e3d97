package dev.moire.samples.plain;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.samples.bad.KnownBad;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A forgotten latch, in plain JDK code ({@link CacheWarmer}). */
@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "three warm-up threads should count a plain CountDownLatch down, but the one with an"
            + " empty shard returns early")
@MoireTracked
@Timeout(5)
final class CacheWarmerStory {
  @Test
  void warmUpThenServe() throws Exception {
    CacheWarmer warmer = new CacheWarmer(List.of(List.of("a", "b"), List.of(), List.of("c")));
    warmer.start();
    warmer.awaitWarm();
  }
}
