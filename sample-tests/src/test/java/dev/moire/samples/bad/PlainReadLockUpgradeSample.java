package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The twin of {@link ReadLockUpgradeSample} in plain JDK code: a {@code ReentrantReadWriteLock}.
 * The JVM knows no owner of a read lock (readers are counted, not named), so this is a stall that
 * places the cache at its {@code writeLock().lock()}, not a cycle.
 */
@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story =
        "a cache takes the write lock on a miss without letting go of the read lock (plain JDK)")
@MoireTracked
@Timeout(10)
final class PlainReadLockUpgradeSample {
  static final class Cache {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
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
