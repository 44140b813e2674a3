module.exports = {
  siteMetadata: {
    title: `Field Kitchen`,
    description: `A small cooking blog.`,
    siteUrl: `https://gatsby.example.dev`,
  },
  plugins: [
    {
      resolve: `gatsby-source-filesystem`,
      options: { path: `${__dirname}/content/blog`, name: `blog` },
    },
    `gatsby-transformer-remark`,
  ],
}
