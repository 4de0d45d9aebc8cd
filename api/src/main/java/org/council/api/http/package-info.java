/** The audit API over HTTP (Vert.x Web): routes, JSON rendering, the error table, the server verticle. */
package org.council.api.http;
