/** Something to stop when the server closes (timers, sockets, listeners). */
export type Closer = () => Promise<void> | void;
