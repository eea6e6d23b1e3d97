package dev.moire.samples.plain;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.samples.bad.KnownBad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A read-to-write upgrade of a plain {@code ReentrantReadWriteLock} ({@link RegionCache}). */
@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story =
        "a cache takes a plain ReentrantReadWriteLock's write lock while it holds the read lock")
@MoireTracked
@Timeout(5)
final class RegionCacheStory {
  @Test
  void aCacheMiss() {
    new RegionCache().get("eu-west-1");
  }
}
