package com.example.inventory;

import dev.moire.runtime.sync.TrackedLock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Production code that uses a tracked type: stock levels guarded by a lock that moire tracks when a
 * test looks, and that is a plain {@code ReentrantLock} otherwise. Its module depends on
 * moire-runtime alone, which needs nothing but the JDK at run time.
 */
public final class Inventory {
  private final ReentrantLock lock = new TrackedLock("inventory"); // was: new ReentrantLock()
  private final Map<String, Integer> stock = new HashMap<>();

  /** Adds {@code n} of {@code item}. */
  public void add(String item, int n) {
    lock.lock();
    try {
      stock.merge(item, n, Integer::sum);
    } finally {
      lock.unlock();
    }
  }

  /** Takes {@code n} of {@code item} if there are that many; returns whether it did. */
  public boolean take(String item, int n) {
    lock.lock();
    try {
      int have = stock.getOrDefault(item, 0);
      if (have < n) {
        return false;
      }
      stock.put(item, have - n);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code action} holding the inventory's lock (a batch of changes). */
  public void whileLocked(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many of {@code item} there are. */
  public int count(String item) {
    lock.lock();
    try {
      return stock.getOrDefault(item, 0);
    } finally {
      lock.unlock();
    }
  }
}
