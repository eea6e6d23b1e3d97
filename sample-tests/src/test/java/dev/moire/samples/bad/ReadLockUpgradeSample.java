package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.sync.TrackedReadWriteLock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story =
        "a cache looks a key up under the read lock and, on a miss, takes the write lock without"
            + " letting go of the read lock: a read lock cannot be upgraded")
@MoireTracked
@Timeout(10)
final class ReadLockUpgradeSample {
  static final class Cache {
    final TrackedReadWriteLock lock = new TrackedReadWriteLock("cache");
    final Map<String, String> entries = new HashMap<>();

    String get(String key) {
      lock.readLock().lock();
      try {
        String v = entries.get(key);
        if (v == null) {
          lock.writeLock().lock(); // waits for every reader to leave, itself included
          try {
            v = key.toUpperCase(java.util.Locale.ROOT);
            entries.put(key, v);
          } finally {
            lock.writeLock().unlock();
          }
        }
        return v;
      } finally {
        lock.readLock().unlock();
      }
    }
  }

  @Test
  void aCacheMiss() {
    new Cache().get("eu-west-1");
  }
}
