/**
 * The HTML report of a moire store: {@link dev.moire.report.MoireReport} writes an index of the
 * stored tests and one self-contained page per snapshot (ELK layout, findings, inspector,
 * timeline), with a strict Content-Security-Policy and every name as text.
 */
@NullMarked
package dev.moire.report;

import org.jspecify.annotations.NullMarked;
