/**
 * Tracked channels: {@link dev.moire.runtime.channel.Channels} makes mpsc, oneshot, watch and
 * broadcast channels whose endpoints are entities of the graph, and {@link
 * dev.moire.runtime.channel.TrackedBlockingQueue} tracks existing {@code BlockingQueue} code by
 * changing one constructor.
 */
@NullMarked
package dev.moire.runtime.channel;

import org.jspecify.annotations.NullMarked;
