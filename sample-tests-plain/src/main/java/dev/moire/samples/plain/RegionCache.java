package dev.moire.samples.plain;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Looks regions up under a read lock and fills a miss under the write lock. The bug: it takes the
 * write lock without letting go of the read lock, and a read lock cannot be upgraded.
 */
public final class RegionCache {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, String> entries = new HashMap<>();

  /** Returns the region's display name, loading it on a miss. */
  public String get(String key) {
    lock.readLock().lock();
    try {
      String v = entries.get(key);
      if (v == null) {
        lock.writeLock().lock(); // waits for every reader to leave, this one included
        try {
          v = key.toUpperCase(Locale.ROOT);
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
