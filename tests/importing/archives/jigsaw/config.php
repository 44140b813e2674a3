<?php

return [
    'baseUrl' => 'https://jig.example',
    'production' => false,
    'siteName' => 'Canal Street Bulletin',
    'siteDescription' => 'News from the canal quarter.',
    'collections' => [
        'posts' => [
            'path' => 'blog/{filename}',
            'sort' => '-date',
        ],
    ],
];
