#ifndef KLAXON_CCURL_SHIM_H
#define KLAXON_CCURL_SHIM_H

#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic macros/functions, which Swift cannot call.
// These typed wrappers are the only way Klaxon sets options.

static inline CURLcode klaxon_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode klaxon_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode klaxon_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode klaxon_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*klaxon_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode klaxon_curl_setopt_write_function(CURL *handle, CURLoption option,
                                                         klaxon_curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

typedef size_t (*klaxon_curl_read_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

static inline CURLcode klaxon_curl_setopt_read_function(CURL *handle, CURLoption option,
                                                        klaxon_curl_read_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

typedef int (*klaxon_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);

/// CURLOPT_DEBUGFUNCTION: the SMTP transfer reads the server's replies and its own command verbs from it.
static inline CURLcode klaxon_curl_setopt_debug_function(CURL *handle, klaxon_curl_debug_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

static inline CURLcode klaxon_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode klaxon_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode klaxon_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLcode klaxon_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a blob option (for example CURLOPT_CAINFO_BLOB); libcurl copies the bytes.
static inline CURLcode klaxon_curl_setopt_blob_copy(CURL *handle, CURLoption option, const void *data, size_t len) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = len;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(handle, option, &blob);
}

/// curl_global_init with the default flags; the flag macros use casts Swift cannot import.
static inline CURLcode klaxon_curl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline long klaxon_curlauth_basic(void) {
    return (long)CURLAUTH_BASIC;
}

static inline CURLcode klaxon_curl_msg_result(CURLMsg *message) {
    return message->data.result;
}

#endif
