package dev.moire.runtime;

/**
 * Leaves a task or scope entered with {@link MoireRuntime#enterTask} or {@link
 * MoireRuntime#enterScope}. Close it on the thread that entered, innermost first, typically with
 * try-with-resources.
 */
public interface ContextToken extends AutoCloseable {
  /**
   * Leaves the task or scope.
   *
   * @throws IllegalStateException if closed on another thread, out of order, or twice
   */
  @Override
  void close();
}
