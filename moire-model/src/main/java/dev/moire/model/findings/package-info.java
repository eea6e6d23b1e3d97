/**
 * Findings over a snapshot: deadlock cycles, global stalls, lost senders, dangling receivers,
 * leaked holds, long waits and holds. {@link dev.moire.model.findings.Findings#analyze} is a pure
 * function of the snapshot.
 */
@NullMarked
package dev.moire.model.findings;

import org.jspecify.annotations.NullMarked;
