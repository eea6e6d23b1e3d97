package dev.moire.model;

import dev.moire.model.internal.Checks;
import java.util.List;

/**
 * Where an operation on an entity was done, and by which threads: where a latch was counted down,
 * where futures made at one line were completed. It says who would act and where, when the
 * operation that is missing is one of these.
 *
 * @param at the user's line of the operation
 * @param threads the names of the first threads that did it there, in order, without repeats
 * @param moreThreads whether more threads did it there than {@code threads} names
 */
public record OperationSite(Source at, List<String> threads, boolean moreThreads) {
  /**
   * Validates the site.
   *
   * @throws NullPointerException if {@code at} or {@code threads} is null
   */
  public OperationSite {
    Checks.notNull(at, "operation source");
    threads = List.copyOf(Checks.notNull(threads, "operation threads"));
  }
}
