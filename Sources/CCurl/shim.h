#ifndef UPDRAFT_CCURL_SHIM_H
#define UPDRAFT_CCURL_SHIM_H
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

// libcurl is opened with dlopen when the first transfer starts, not linked: a process that makes
// no request (a CLI read, a worker whose task does no HTTP) never maps libcurl and the thirty
// libraries it needs, which cost every process start about 6 ms of dynamic loading.
// The headers give the types; updraft_curl_open fills this table of entry points.
typedef struct updraft_curl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    CURLcode (*easy_perform)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    void (*easy_cleanup)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
} updraft_curl_api;

// Opens `library` and resolves every entry point into `api`. Returns NULL, or what went wrong
// (dlerror's text, valid until this thread's next dl call). The library stays open for good.
static inline const char *updraft_curl_open(const char *library, updraft_curl_api *api) {
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) return dlerror();
#define UPDRAFT_CURL_RESOLVE(field, symbol) \
    if ((*(void **)&api->field = dlsym(handle, symbol)) == NULL) return dlerror();
    UPDRAFT_CURL_RESOLVE(global_init, "curl_global_init")
    UPDRAFT_CURL_RESOLVE(easy_init, "curl_easy_init")
    UPDRAFT_CURL_RESOLVE(easy_setopt, "curl_easy_setopt")
    UPDRAFT_CURL_RESOLVE(easy_getinfo, "curl_easy_getinfo")
    UPDRAFT_CURL_RESOLVE(easy_perform, "curl_easy_perform")
    UPDRAFT_CURL_RESOLVE(easy_reset, "curl_easy_reset")
    UPDRAFT_CURL_RESOLVE(easy_cleanup, "curl_easy_cleanup")
    UPDRAFT_CURL_RESOLVE(easy_strerror, "curl_easy_strerror")
    UPDRAFT_CURL_RESOLVE(slist_append, "curl_slist_append")
    UPDRAFT_CURL_RESOLVE(slist_free_all, "curl_slist_free_all")
#undef UPDRAFT_CURL_RESOLVE
    return NULL;
}

// Swift calls libcurl through these: they take the table, and they give the variadic
// curl_easy_setopt / curl_easy_getinfo the typed signatures Swift can call.
typedef size_t (*updraft_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*updraft_curl_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode updraft_curl_global_init(updraft_curl_api c, long flags) { return c.global_init(flags); }
static inline CURL *updraft_curl_easy_init(updraft_curl_api c) { return c.easy_init(); }
static inline CURLcode updraft_curl_easy_perform(updraft_curl_api c, CURL *h) { return c.easy_perform(h); }
static inline void updraft_curl_easy_reset(updraft_curl_api c, CURL *h) { c.easy_reset(h); }
static inline void updraft_curl_easy_cleanup(updraft_curl_api c, CURL *h) { c.easy_cleanup(h); }
static inline const char *updraft_curl_easy_strerror(updraft_curl_api c, CURLcode code) { return c.easy_strerror(code); }
static inline struct curl_slist *updraft_curl_slist_append(updraft_curl_api c, struct curl_slist *l, const char *s) { return c.slist_append(l, s); }
static inline void updraft_curl_slist_free_all(updraft_curl_api c, struct curl_slist *l) { c.slist_free_all(l); }

static inline CURLcode updraft_curl_setopt_string(updraft_curl_api c, CURL *h, CURLoption o, const char *v) { return c.easy_setopt(h, o, v); }
static inline CURLcode updraft_curl_setopt_long(updraft_curl_api c, CURL *h, CURLoption o, long v) { return c.easy_setopt(h, o, v); }
static inline CURLcode updraft_curl_setopt_off_t(updraft_curl_api c, CURL *h, CURLoption o, curl_off_t v) { return c.easy_setopt(h, o, v); }
static inline CURLcode updraft_curl_setopt_pointer(updraft_curl_api c, CURL *h, CURLoption o, void *v) { return c.easy_setopt(h, o, v); }
static inline CURLcode updraft_curl_setopt_slist(updraft_curl_api c, CURL *h, CURLoption o, struct curl_slist *v) { return c.easy_setopt(h, o, v); }
static inline CURLcode updraft_curl_setopt_write_function(updraft_curl_api c, CURL *h, updraft_curl_data_cb cb) { return c.easy_setopt(h, CURLOPT_WRITEFUNCTION, cb); }
static inline CURLcode updraft_curl_setopt_header_function(updraft_curl_api c, CURL *h, updraft_curl_data_cb cb) { return c.easy_setopt(h, CURLOPT_HEADERFUNCTION, cb); }
static inline CURLcode updraft_curl_setopt_read_function(updraft_curl_api c, CURL *h, updraft_curl_data_cb cb) { return c.easy_setopt(h, CURLOPT_READFUNCTION, cb); }
static inline CURLcode updraft_curl_setopt_xferinfo_function(updraft_curl_api c, CURL *h, updraft_curl_xferinfo_cb cb) { return c.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }
static inline CURLcode updraft_curl_getinfo_long(updraft_curl_api c, CURL *h, CURLINFO i, long *out) { return c.easy_getinfo(h, i, out); }

#endif
