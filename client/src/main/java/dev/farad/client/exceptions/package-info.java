/**
 * Exceptions of the Farad client. All are unchecked and derive from {@link
 * dev.farad.client.exceptions.FaradException}; the names follow the exception table of the
 * error-handling chapter so that code written against it reads the same here:
 * {@link dev.farad.client.exceptions.ConnectionException} (connection-state problems),
 * {@link dev.farad.client.exceptions.CommandException} (the broker rejected a command; mapped from
 * the failure reason), {@link dev.farad.client.exceptions.StoreException} and
 * {@link dev.farad.client.exceptions.UsageException}.
 */
package dev.farad.client.exceptions;
