/** The H5 address of a mini-program path (`/pages/…?…`), for links copied into chats and QR codes. */
export const h5Link = (path: string) => `${window.location.origin}${window.location.pathname}#${path}`
