package dev.moire.runtime.internal;

import dev.moire.model.ScopeId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names of one graph's entities and scopes. A name's id is unique in the JVM ({@code jobs},
 * {@code jobs#2}, ... per family), counted without any lock, so lazily created entities get their
 * ids on a hot path. The name an entity is shown under is unique within its test (the second {@code
 * jobs} of a test is {@code jobs#2}, the first of the next test is {@code jobs} again): counted per
 * open test scope, under the graph's lock, when the entity enters the graph.
 */
final class Names {
  /** How often each name was given, per family (no key is built per call: a hot path). */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicInteger>> counts =
      new ConcurrentHashMap<>();

  /** Per open test scope, how often each name was shown in it. Guarded by the graph's lock. */
  private final Map<ScopeId, Map<String, Integer>> inTests = new HashMap<>();

  /** Returns {@code name}, or {@code name#n} for its n-th use in {@code family}; lock-free. */
  String unique(String family, String name) {
    int n = next(family, name);
    return n == 1 ? name : name + "#" + n;
  }

  /**
   * Returns how often {@code name} was counted in {@code family}, this time included; lock-free.
   */
  int next(String family, String name) {
    ConcurrentHashMap<String, AtomicInteger> names = counts.get(family);
    if (names == null) {
      names = counts.computeIfAbsent(family, k -> new ConcurrentHashMap<>());
    }
    AtomicInteger c = names.get(name);
    if (c == null) {
      c = names.computeIfAbsent(name, k -> new AtomicInteger());
    }
    return c.incrementAndGet();
  }

  /** How many distinct names have been counted, in all families. */
  int countedNames() {
    int n = 0;
    for (ConcurrentHashMap<String, AtomicInteger> names : counts.values()) {
      n += names.size();
    }
    return n;
  }

  /**
   * The name an entity created in {@code scopes} is shown under: unique within the first open test
   * scope among them, or, when it is in none (made in {@code @BeforeAll}, say), {@code unique}.
   * Under the graph's lock.
   */
  String inTest(String family, String name, String unique, Collection<ScopeId> scopes) {
    for (ScopeId scope : scopes) {
      Map<String, Integer> names = inTests.get(scope);
      if (names != null) {
        int n = names.merge(family + '\u0000' + name, 1, Integer::sum);
        return n == 1 ? name : name + "#" + n;
      }
    }
    return unique;
  }

  /** A test scope opened: names shown in it count from one. Under the graph's lock. */
  void testOpened(ScopeId scope) {
    inTests.put(scope, new HashMap<>());
  }

  /** A scope closed: its names are forgotten. Under the graph's lock. */
  void scopeClosed(ScopeId scope) {
    inTests.remove(scope);
  }
}
