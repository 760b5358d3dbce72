/* A sink written in plain C against abi.h: proof that the ABI needs no C++, and the raw material of the
 * purpose-built bad plugins. Compiled once per FERRY_TEST_* case (see CMakeLists.txt); without any case
 * it is a valid sink named by FERRY_TEST_NAME that counts what it receives. */
#include <ferry/abi.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef FERRY_TEST_NAME
#define FERRY_TEST_NAME "c-sink"
#endif

typedef struct c_sink {
  ferry_type_sink_stats stats;
} c_sink;

typedef struct c_file {
  c_sink* sink;
  uint64_t bytes;
} c_file;

static void* create(const ferry_type_host_services* host, const ferry_type_config_view* config, ferry_type_error* error) {
  (void)host;
  (void)config;
#ifdef FERRY_TEST_SLOW_CREATE_S
  /* A sink that takes a while to open (mounting, reaching its storage): the node listens meanwhile. A test
   * that must act while it opens names a file in FERRY_TEST_SINK_GATE, and the sink opens once that file
   * exists (after 10 times FERRY_TEST_SLOW_CREATE_S at most), however slowly a loaded machine runs. */
  const char* gate = getenv("FERRY_TEST_SINK_GATE");
  if (gate != NULL) {
    for (int tick = 0; tick < FERRY_TEST_SLOW_CREATE_S * 200 && access(gate, F_OK) != 0; ++tick) {
      struct timespec pause = {0, 50 * 1000 * 1000};
      nanosleep(&pause, NULL);
    }
  } else {
    struct timespec pause = {FERRY_TEST_SLOW_CREATE_S, 0};
    while (nanosleep(&pause, &pause) != 0) {
    }
  }
#endif
  c_sink* sink = calloc(1, sizeof *sink);
  if (sink == NULL) {
    error->code = FERRY_ERR_LIMIT;
    strcpy(error->message, "out of memory");
  }
  return sink;
}

static void destroy(void* sink) { free(sink); }

static void* file_open(void* sink, const ferry_type_sink_file_info* info, ferry_type_error* error) {
  (void)info;
  c_file* file = calloc(1, sizeof *file);
  if (file == NULL) {
    error->code = FERRY_ERR_LIMIT;
    strcpy(error->message, "out of memory");
    return NULL;
  }
  file->sink = sink;
  file->sink->stats.files_open++;
  return file;
}

static ferry_type_status file_write(void* file, uint64_t offset, const uint8_t* data, size_t length,
                                    ferry_type_error* error) {
  (void)offset;
  (void)data;
  (void)error;
  ((c_file*)file)->bytes += length;
  return FERRY_OK;
}

__attribute__((unused)) static ferry_type_status file_commit(void* handle, ferry_type_error* error) {
  (void)error;
  c_file* file = handle;
  file->sink->stats.files_open--;
  file->sink->stats.files_committed++;
  file->sink->stats.bytes_committed += file->bytes;
  free(file);
  return FERRY_OK;
}

static void file_abort(void* handle) {
  c_file* file = handle;
  file->sink->stats.files_open--;
  file->sink->stats.files_aborted++;
  free(file);
}

static ferry_type_status stats(void* sink, ferry_type_sink_stats* out) {
  const uint32_t size = out->struct_size;
  *out = ((c_sink*)sink)->stats;
  out->struct_size = size;
  return FERRY_OK;
}

static const ferry_type_sink_vtable table = {
#ifdef FERRY_TEST_SMALL_TABLE
    8,
#else
    sizeof(ferry_type_sink_vtable),
#endif
    0, create, destroy, file_open, file_write,
#ifdef FERRY_TEST_MISSING_HOOK
    NULL,
#else
    file_commit,
#endif
    file_abort, NULL, stats};

static const ferry_type_plugin_descriptor descriptor = {
#ifdef FERRY_TEST_SMALL_DESCRIPTOR
    16,
#else
    sizeof(ferry_type_plugin_descriptor),
#endif
#ifdef FERRY_TEST_OTHER_MAJOR
    FERRY_ABI_MAJOR + 1,
#else
    FERRY_ABI_MAJOR,
#endif
#ifdef FERRY_TEST_NEWER_MINOR
    FERRY_ABI_MINOR + 1,
#else
    FERRY_ABI_MINOR,
#endif
#ifdef FERRY_TEST_UNKNOWN_KIND
    99,
#else
    FERRY_KIND_SINK,
#endif
    0, FERRY_TEST_NAME, "0.1.0", "A sink written in C for the host's tests", NULL, 0, NULL, 0, &table};

#ifdef FERRY_TEST_NO_ENTRY
FERRY_PLUGIN_EXPORT const ferry_type_plugin_descriptor* not_the_entry(void) { return &descriptor; }
#else
FERRY_PLUGIN_EXPORT const ferry_type_plugin_descriptor* ferry_plugin_entry(void) { return &descriptor; }
#endif
