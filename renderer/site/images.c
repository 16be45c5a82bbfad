/* images.c — images where Sphinx's html builder puts them.
 *
 * Sphinx copies every image a page shows (and can read) to
 * _images/<file name>, and links it there: a name another image took
 * first gets a number (a.png, a1.png, a2.png: its FilenameUniqDict),
 * first meaning in reading order, pages by docname and images in the
 * order they appear. Links made into a published site know those
 * names, so specsite makes the same ones: from the pages' summaries
 * (each lists its images' paths), before the pages that show images
 * are rendered (they keep their tree until then). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define S_IMAGES_DIR "_images"
#define S_DOWNLOADS_DIR "_downloads"

static int S_by_path(const void *a, const void *b) {
  return strcmp(((const ss_site_image *)a)->path,
                ((const ss_site_image *)b)->path);
}

static const ss_site_image *S_find(const ss_site_image *table, size_t n,
                                   const char *path) {
  ss_site_image want = {.path = (char *)path};
  return n ? bsearch(&want, table, n, sizeof *table, S_by_path) : NULL;
}

/* Whether `name` is taken by an image named so far. */
static bool S_taken(const ss_site *site, const char *name) {
  for (size_t i = 0; i < site->n_images; i++)
    if (site->images[i].name && strcmp(site->images[i].name, name) == 0)
      return true;
  return false;
}

/* The name a readable file gets: in _images/, Sphinx's
 * FilenameUniqDict.add_file (the base name, numbered when taken); in
 * _downloads/, DownloadFiles.add_file (the MD5 of its path, then its
 * base name). */
static char *S_name(const ss_site *site, const char *path, bool download) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  ss_buf name = SS_BUF_INIT;
  if (download) {
    char md5[33];
    ss_md5_hex(path, strlen(path), md5);
    ss_buf_printf(&name, "%s/%s", md5, base);
    return ss_buf_detach(&name);
  }
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot > base ? (size_t)(dot - base) : strlen(base);
  ss_buf_puts(&name, base);
  for (int n = 1; S_taken(site, name.data); n++) {
    ss_buf_clear(&name);
    ss_buf_put(&name, base, stem);
    ss_buf_printf(&name, "%d%s", n, base + stem);
  }
  return ss_buf_detach(&name);
}

void ss_site_name_images(ss_site *site) {
  ss_fs_resolver resolver = {.root = site->root};
  for (size_t r = 0; r < site->n_pages; r++) {
    const ss_page *p = &site->pages[site->by_name[r]];
    for (size_t k = 0; k < p->sum.n_refs; k++) {
      const ss_site_ref *ref = &p->sum.refs[k];
      if (!ref->path || !*ref->path)
        continue;
      ss_site_image **table = ref->download ? &site->downloads : &site->images;
      size_t *n = ref->download ? &site->n_downloads : &site->n_images;
      bool seen = false;
      for (size_t i = 0; i < *n && !seen; i++)
        seen = strcmp((*table)[i].path, ref->path) == 0;
      if (seen)
        continue;
      struct stat sb;
      char *from = ss_fs_resolver_get(&resolver, ref->path, &sb);
      *table = ss_xrealloc(*table, (*n + 1) * sizeof **table);
      ss_site_image *img = &(*table)[*n];
      *img = (ss_site_image){.path = ss_xstrdup(ref->path), .from = from};
      if (from && S_ISREG(sb.st_mode)) {
        img->size = (int64_t)sb.st_size;
        img->mtime_ns =
            (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
        img->name = S_name(site, ref->path, ref->download);
        /* A symbolic link out of the repository: not the repository's to
         * publish. */
        img->outside = !ss_fs_inside(from, site->src_real);
      }
      (*n)++;
    }
  }
  ss_fs_resolver_free(&resolver);
  if (site->n_images > 1)
    qsort(site->images, site->n_images, sizeof *site->images, S_by_path);
  if (site->n_downloads > 1)
    qsort(site->downloads, site->n_downloads, sizeof *site->downloads,
          S_by_path);
}

static void S_table_free(ss_site_image **table, size_t *n) {
  for (size_t i = 0; i < *n; i++) {
    free((*table)[i].path);
    free((*table)[i].name);
    free((*table)[i].from);
  }
  free(*table);
  *table = NULL;
  *n = 0;
}

void ss_site_images_free(ss_site *site) {
  S_table_free(&site->images, &site->n_images);
  S_table_free(&site->downloads, &site->n_downloads);
}

bool ss_site_shows_images(const ss_site_summary *sum) {
  /* Downloads too: their links wait for the same tables. */
  for (size_t k = 0; k < sum->n_refs; k++)
    if (sum->refs[k].path && *sum->refs[k].path)
      return true;
  return false;
}

void ss_site_link_images(ss_site *site, ss_page *p) {
  char *dir = ss_path_dir(p->docname);
  ss_buf uri = SS_BUF_INIT;
  for (ss_node *n = p->tree; n; n = ss_node_next_in(p->tree, n)) {
    bool download = n->kind == SS_DOWNLOAD_REFERENCE;
    if ((n->kind != SS_IMAGE && !download) ||
        (download && ss_node_attr_get(n, "refuri")))
      continue;
    char *path = download ? ss_site_download_path(
                                p->docname, ss_node_attr_get(n, "reftarget"))
                          : ss_site_image_path(dir, ss_node_attr_get(n, "uri"));
    const ss_site_image *img =
        !path      ? NULL
        : download ? S_find(site->downloads, site->n_downloads, path)
                   : S_find(site->images, site->n_images, path);
    free(path);
    if (!img || !img->name || !*img->name || img->outside)
      continue; /* unreadable: as written, and Sphinx's warning */
    ss_buf_clear(&uri);
    ss_path_root_of(ss_site_page_url(site, p), &uri);
    ss_buf_puts(&uri, download ? S_DOWNLOADS_DIR "/" : S_IMAGES_DIR "/");
    ss_path_url(&uri, img->name);
    ss_node_attr_set(n, download ? "refuri" : "uri", uri.data);
  }
  ss_buf_free(&uri);
  free(dir);
}

/* Every readable file of a table copied once to `dir`. */
static void S_copy_table(ss_site *site, ss_site_image *table, size_t n,
                         const char *dir) {
  ss_buf name = SS_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    ss_site_image *img = &table[i];
    if (!img->name || img->outside)
      continue;
    ss_buf_clear(&name);
    ss_buf_printf(&name, "%s/%s", dir, img->name);
    /* A file is the same when its path, size and mtime are; the last
     * site's copy of it was checked before it was made. */
    int64_t stamp[2] = {img->size, img->mtime_ns};
    uint64_t key = ss_digest(SS_DIGEST_INIT, stamp, sizeof stamp);
    key = ss_digest(key, img->from, strlen(img->from));
    key = key ? key : 1;
    if (ss_site_reuse(site, name.data, key))
      continue;
    size_t len = 0;
    char *data = ss_read_file(img->from, &len);
    if (data)
      ss_site_emit_owned(site, name.data, key, data, len);
    else
      img->name[0] = '\0'; /* not readable after all */
  }
  ss_buf_free(&name);
}

/* Every image copied once to _images/, every download to _downloads/. */
void ss_site_copy_images(ss_site *site) {
  S_copy_table(site, site->images, site->n_images, S_IMAGES_DIR);
  S_copy_table(site, site->downloads, site->n_downloads, S_DOWNLOADS_DIR);
  ss_site_image_warnings(site);
}

/* One that cannot be read is Sphinx's warning on every line that shows
 * or offers it, as Sphinx reads each page's images and downloads. */
void ss_site_image_warnings(ss_site *site) {
  ss_buf m = SS_BUF_INIT;
  for (size_t i = 0; i < site->n_pages; i++) {
    const ss_page *p = &site->pages[i];
    for (size_t k = 0; k < p->sum.n_refs; k++) {
      const ss_site_ref *ref = &p->sum.refs[k];
      const ss_site_image *img =
          !ref->path || !*ref->path ? NULL
          : ref->download
              ? S_find(site->downloads, site->n_downloads, ref->path)
              : S_find(site->images, site->n_images, ref->path);
      bool readable = img && img->name && *img->name;
      ss_buf_clear(&m);
      if (!readable && ref->download) {
        /* Sphinx names the file by its full path. */
        char *full = ss_path_join(site->root, ref->path ? ref->path : ref->uri);
        ss_buf_printf(&m, "download file not readable: %s", full);
        free(full);
      } else if (!readable) {
        ss_buf_printf(&m, "image file not readable: %s",
                      ref->path ? ref->path : ref->uri);
      } else if (img->outside) {
        ss_buf_printf(&m,
                      "%s outside the repository (a symbolic link): not "
                      "copied: %s",
                      ref->download ? "download file" : "image file",
                      ref->path);
      } else {
        continue;
      }
      ss_diag_report(&site->diag, p->source, ref->line, SS_LEVEL_WARNING,
                     m.data);
      /* Sphinx's HTML writer sizes a scaled image from its file. */
      if (ref->scaled && !site->opts->xml && !readable)
        ss_diag_report(&site->diag, p->source, ref->line, SS_LEVEL_WARNING,
                       "Could not obtain image size. :scale: option is "
                       "ignored.");
    }
  }
  ss_buf_free(&m);
}

char *ss_site_download_path(const char *docname, const char *target) {
  if (!target || !*target)
    return NULL;
  /* Sphinx's relfn2path: "/x" from the source root, else from the
   * document's folder. */
  if (target[0] == '/')
    return ss_path_normalize(target + 1);
  char *dir = ss_path_dir(docname);
  char *joined = ss_path_join(dir, target);
  char *path = ss_path_normalize(joined);
  free(joined);
  free(dir);
  return path;
}

char *ss_site_image_path(const char *dir, const char *uri) {
  if (!uri || !*uri || uri[0] == '/' || uri[0] == '#')
    return NULL;
  for (const char *p = uri; *p && *p != '/'; p++)
    if (*p == ':')
      return NULL; /* a scheme */
  char *joined = ss_path_join(dir, uri);
  /* Drop a query or fragment: the file is what is copied. */
  joined[strcspn(joined, "?#")] = '\0';
  char *path = ss_path_normalize(joined);
  free(joined);
  return path;
}
