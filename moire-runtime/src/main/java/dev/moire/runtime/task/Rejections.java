package dev.moire.runtime.task;

import dev.moire.model.internal.Checks;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The user's rejection handler, as a tracked executor installs it: a rejected task that was tracked
 * runs as itself if the handler runs it in the caller ({@code CallerRunsPolicy}), and leaves the
 * graph whatever the handler does (throw, discard, or put it back in the queue, where a worker then
 * runs it untracked). The executor's {@code getRejectedExecutionHandler()} returns the user's
 * handler.
 */
final class Rejections implements RejectedExecutionHandler {
  /** What a tracked executor knows of the task being rejected. */
  interface Tracked {
    /** The tracked run of {@code r} that will not start on a worker, if it has one. */
    TaskRun.@Nullable Running rejected(Runnable r);
  }

  final RejectedExecutionHandler handler;

  /** The executor's bookkeeping, bound once the executor is constructed. */
  private volatile @Nullable Tracked tracked;

  private Rejections(RejectedExecutionHandler handler) {
    this.handler = Checks.notNull(handler, "handler");
  }

  /** Returns {@code h} wrapped, for an executor to bind once constructed. */
  static Rejections of(RejectedExecutionHandler h) {
    return new Rejections(unwrap(h));
  }

  /** Binds the executor's bookkeeping to the handler it installed; returns the handler. */
  static RejectedExecutionHandler bind(RejectedExecutionHandler installed, Tracked tracked) {
    if (installed instanceof Rejections r) {
      r.tracked = tracked;
    }
    return installed;
  }

  /** Returns the user's handler behind {@code h}. */
  static RejectedExecutionHandler unwrap(RejectedExecutionHandler h) {
    return h instanceof Rejections r ? r.handler : h;
  }

  @Override
  public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
    Tracked t = tracked;
    TaskRun.Running run = t == null ? null : t.rejected(r);
    if (run == null) {
      handler.rejectedExecution(r, executor);
      return;
    }
    try {
      handler.rejectedExecution(r, executor);
    } finally {
      run.close();
    }
  }
}
