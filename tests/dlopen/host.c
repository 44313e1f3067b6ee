/*
 * host.c: loads a plugin that uses libcprof.so with dlopen, lets a thread
 * measure a region in it, unloads the plugin with dlclose, and only then
 * lets that thread end and the process exit: the runtime's thread-exit and
 * exit handlers must still be there (libcprof.so is linked -z nodelete).
 * usage: host PLUGIN.so   (exit 0, the dump written at exit)
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static void (*work)(void);
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int worked, go;

static void *thread_main(void *arg)
{
    (void)arg;
    work();
    pthread_mutex_lock(&m);
    worked = 1;
    pthread_cond_signal(&c);
    while (!go)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    return NULL;   /* thread exit: after the plugin is gone */
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    work = (void (*)(void))dlsym(h, "plugin_work");
    if (!work)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_mutex_lock(&m);
    while (!worked)
        pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    dlclose(h);
    pthread_mutex_lock(&m);
    go = 1;
    pthread_cond_signal(&c);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    return 0;
}
