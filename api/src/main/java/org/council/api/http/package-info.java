/**
 * The audit API over HTTP (Vert.x Web): routes, JSON rendering, the error table, the server
 * verticle, and the {@link org.council.api.http.BrowserGuard} that keeps other sites' pages off
 * the node's HTTP ports (origins, DNS-rebinding {@code Host}s, an optional bearer token).
 */
package org.council.api.http;
