/**
 * Tracked synchronisers: drop-in {@link dev.moire.runtime.sync.TrackedLock}, {@link
 * dev.moire.runtime.sync.TrackedReadWriteLock}, {@link dev.moire.runtime.sync.TrackedSemaphore} and
 * {@link dev.moire.runtime.sync.TrackedCountDownLatch}, plus {@link dev.moire.runtime.sync.Notify}
 * and {@link dev.moire.runtime.sync.OnceCell}. Each records who holds it and who waits on it.
 */
@NullMarked
package dev.moire.runtime.sync;

import org.jspecify.annotations.NullMarked;
