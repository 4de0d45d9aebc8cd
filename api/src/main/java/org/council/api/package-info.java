/**
 * Ports the API declares for what it reads besides the ledger and reputation interfaces; the
 * node implements them. Vert.x Web code lives in {@code org.council.api.http}.
 */
package org.council.api;
