/**
 * Tracked tasks: {@link dev.moire.runtime.task.TrackedExecutorService} (each task a {@code future}
 * entity with its own scope), {@link dev.moire.runtime.task.TrackedThreadFactory} (platform or
 * virtual threads), {@link dev.moire.runtime.task.TrackedCompletableFuture}, {@link
 * dev.moire.runtime.task.JoinSet} and {@link dev.moire.runtime.task.Rpc} request/response handles.
 */
@NullMarked
package dev.moire.runtime.task;

import org.jspecify.annotations.NullMarked;
