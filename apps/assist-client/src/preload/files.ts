import { exposeWindowApi } from './expose.ts';

exposeWindowApi('files');
