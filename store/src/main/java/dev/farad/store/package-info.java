/**
 * Farad's storage: the durable, segmented transaction log ({@link dev.farad.store.TransactionLog},
 * {@link dev.farad.store.FileTransactionLog}) and bookmark text ({@link dev.farad.store.Bookmarks}).
 *
 * <p>The log is the broker's single source of order: every record carries one log sequence, assigned
 * by {@link dev.farad.store.TransactionLog#append}, and records are self-contained so the log can later
 * be replicated record by record. The on-disk format is described in {@link dev.farad.store.internal.LogFormat}
 * and in {@code docs/STORAGE.md}.
 *
 * <p>Code is non-null by default; parameters and accessors that may be {@code null} say so.
 * Machinery lives in {@code dev.farad.store.internal} and is not API.
 */
package dev.farad.store;
